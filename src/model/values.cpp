#include "model/values.hpp"

namespace smaudit::model {

bool sendmail_bool(std::string_view value) {
    return value.empty() || value[0] == 't' || value[0] == 'T' || value[0] == 'y' ||
           value[0] == 'Y';
}

} // namespace smaudit::model
