#include "mapdb/berkeley_db.hpp"
#include "source/file_reader.hpp"

#include <db.h>

#include <cstring>
#include <filesystem>
#include <fmt/format.h>

namespace smaudit::mapdb {

namespace {

// The library reports details through an error callback (to stderr by default); they are
// collected here so the caller gets one message and the terminal stays clean.
struct ErrorSink {
    std::string text;
};

// A handle without an environment has no place for a context pointer: the messages of the
// handle in use go to a thread-local sink.
thread_local ErrorSink* current_sink = nullptr;

void collect_error(const DB_ENV* /*env*/, const char* /*prefix*/, const char* message) {
    if (current_sink != nullptr && current_sink->text.empty()) current_sink->text = message;
}

// The verifier prints the pages it finds damaged as informational messages (to stdout by
// default): they mean nothing to a user of smaudit.
void drop_message(const DB_ENV* /*env*/, const char* /*message*/) {}

// Owns a DB handle: closed on every path out.
struct Handle {
    DB* db = nullptr;
    Handle() = default;
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() {
        if (db != nullptr) db->close(db, 0);
    }
};

std::string describe(int code, const ErrorSink& sink) {
    std::string text = db_strerror(code);
    if (!sink.text.empty()) text += " (" + sink.text + ")";
    return text;
}

struct SinkScope {
    ErrorSink* previous;
    explicit SinkScope(ErrorSink& sink) : previous(current_sink) { current_sink = &sink; }
    ~SinkScope() { current_sink = previous; }
    SinkScope(const SinkScope&) = delete;
    SinkScope& operator=(const SinkScope&) = delete;
};

} // namespace

std::string_view to_string(DbType type) {
    return type == DbType::Hash ? "hash" : "btree";
}

DbRead read_berkeley_db(const std::string& path, size_t max_bytes) {
    DbRead out;
    // Berkeley DB opens the file itself: a FIFO would block it, a device feed it forever.
    if (FileRead checked = check_regular_file(path, max_bytes); !checked.ok()) {
        out.error = "it " + checked.error;
        return out;
    }
    ErrorSink sink;
    SinkScope scope(sink);
    // A corrupt file can make the reader follow bad page pointers: the library's verifier,
    // which is made for damaged files, reads it first. DB->verify frees its handle.
    {
        DB* verifier = nullptr;
        if (int rc = db_create(&verifier, nullptr, 0); rc != 0) {
            out.error = describe(rc, sink);
            return out;
        }
        verifier->set_errcall(verifier, collect_error);
        verifier->set_msgcall(verifier, drop_message);
        // DB_NOORDERCHK: libdb 5.3's check of a hash page's sort order prints keys of a damaged
        // page past their end (an overread AddressSanitizer shows); the order does not matter
        // for reading every entry with a cursor, the page structure it checks otherwise does.
        if (int rc = verifier->verify(verifier, path.c_str(), nullptr, nullptr, DB_NOORDERCHK);
            rc != 0) {
            out.error = "it is not a valid Berkeley DB database: " + describe(rc, sink);
            // Opening reads the metadata page only, as sendmail's open does.
            Handle probe;
            out.opens = db_create(&probe.db, nullptr, 0) == 0 &&
                        (probe.db->set_errcall(probe.db, collect_error),
                         probe.db->open(probe.db, nullptr, path.c_str(), nullptr, DB_UNKNOWN,
                                        DB_RDONLY, 0) == 0);
            return out;
        }
    }
    Handle handle;
    if (int rc = db_create(&handle.db, nullptr, 0); rc != 0) {
        out.error = describe(rc, sink);
        return out;
    }
    DB* db = handle.db;
    db->set_errcall(db, collect_error);
    db->set_msgcall(db, drop_message);
    if (int rc = db->open(db, nullptr, path.c_str(), nullptr, DB_UNKNOWN, DB_RDONLY, 0); rc != 0) {
        out.error = "Berkeley DB cannot open it: " + describe(rc, sink);
        return out;
    }
    DBTYPE type = DB_UNKNOWN;
    db->get_type(db, &type);
    if (type != DB_HASH && type != DB_BTREE) {
        out.error = "it is a Berkeley DB database of another type than hash or btree";
        return out;
    }
    DbContents contents;
    contents.type = type == DB_HASH ? DbType::Hash : DbType::Btree;
    DBC* cursor = nullptr;
    if (int rc = db->cursor(db, nullptr, &cursor, 0); rc != 0) {
        out.error = describe(rc, sink);
        return out;
    }
    DBT key, value;
    std::memset(&key, 0, sizeof key);
    std::memset(&value, 0, sizeof value);
    int rc = 0;
    size_t bytes = 0;
    while ((rc = cursor->get(cursor, &key, &value, DB_NEXT)) == 0) {
        bytes += key.size + value.size;
        if (bytes > max_bytes) {
            rc = EFBIG;
            break;
        }
        contents.entries.emplace_back(
            std::string(static_cast<const char*>(key.data), key.size),
            std::string(static_cast<const char*>(value.data), value.size));
    }
    cursor->close(cursor);
    if (rc != DB_NOTFOUND) {
        out.error = "reading it failed: " + describe(rc, sink);
        return out;
    }
    out.contents = std::move(contents);
    return out;
}

} // namespace smaudit::mapdb
