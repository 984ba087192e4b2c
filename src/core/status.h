// core owns the vocabulary every module shares: Status / Result<T>, the injectable Clock,
// UTF-8 helpers, time parsing and logging.
//
// Status carries an expected failure (bad record, unknown id, database busy) as a code and a
// message that says what, where and what was expected. A default Status is OK. Status and
// Result are values: copy them freely; they are not synchronised, like any value.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace yuqing {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kPermissionDenied,
  kUnauthenticated,
  kUnavailable,
  kDeadlineExceeded,
  kResourceExhausted,
  kInternal,
};

// Stable lower-case name of a code, e.g. "invalid_argument".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status PermissionDenied(std::string m) {
    return {StatusCode::kPermissionDenied, std::move(m)};
  }
  static Status Unauthenticated(std::string m) {
    return {StatusCode::kUnauthenticated, std::move(m)};
  }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status DeadlineExceeded(std::string m) {
    return {StatusCode::kDeadlineExceeded, std::move(m)};
  }
  static Status ResourceExhausted(std::string m) {
    return {StatusCode::kResourceExhausted, std::move(m)};
  }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid_argument: line 3: missing field \"source\"", or "ok".
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context: `.
  Status WithContext(std::string_view context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none. Constructing a Result from an OK
// Status is a bug (checked).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (std::get<Status>(v_).ok()) std::abort();
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace yuqing

#define YQ_CONCAT_INNER_(a, b) a##b
#define YQ_CONCAT_(a, b) YQ_CONCAT_INNER_(a, b)

// Returns the Status from the enclosing function if `expr` is not OK.
#define YQ_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::yuqing::Status yq_status_ = (expr);    \
    if (!yq_status_.ok()) return yq_status_; \
  } while (false)

// `YQ_ASSIGN_OR_RETURN(auto x, F());` declares x from F()'s value or returns its Status.
#define YQ_ASSIGN_OR_RETURN(lhs, expr) \
  YQ_ASSIGN_OR_RETURN_IMPL_(YQ_CONCAT_(yq_result_, __LINE__), lhs, expr)
#define YQ_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()

// Broken invariants (our bug, never user input): abort with the location.
#define YQ_CHECK(cond)                                                       \
  do {                                                                       \
    if (!(cond)) ::yuqing::internal::CheckFailed(__FILE__, __LINE__, #cond); \
  } while (false)
#ifdef NDEBUG
#define YQ_DCHECK(cond) \
  do {                  \
  } while (false && (cond))
#else
#define YQ_DCHECK(cond) YQ_CHECK(cond)
#endif

namespace yuqing::internal {
[[noreturn]] void CheckFailed(const char* file, int line, const char* cond);
}  // namespace yuqing::internal
