#include "app/cli.hpp"

int main(int argc, char** argv) {
    return smaudit::run_cli(argc, argv);
}
