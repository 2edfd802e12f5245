// orggov/error.hpp — input errors and results.
//
// Malformed input (JSON syntax, duplicate keys, wrong types, unknown fields or
// enum values, dangling references in a snapshot) is not a decision: it is an
// `input_error` naming the JSON pointer of the culprit, with a one-line
// message. Fallible calls return `result<T>` (`boost::system::result<T,
// input_error>`); call `.value()` to get an exception instead.
//
//   orggov::result<orggov::world> w = orggov::load_world(v);
//   if (!w) fmt::print(stderr, "{}\n", w.error().what());   // "/accounts/2/entity: unknown entity
//   `E9`"
#pragma once

#include <stdexcept>
#include <string>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

namespace orggov {

struct input_error {
  std::string pointer;  // JSON pointer of the culprit ("" for the whole document)
  std::string message;  // one line, lower case, no final period
  /// `pointer: message`, or the message alone for the document root.
  [[nodiscard]] std::string what() const {
    return pointer.empty() ? message : pointer + ": " + message;
  }
};

template <class Stream>
Stream& operator<<(Stream& os, const input_error& e) {
  os << e.what();
  return os;
}

/// Thrown by `result<T>::value()` on an input error.
class input_exception : public std::runtime_error {
 public:
  explicit input_exception(input_error e) : std::runtime_error(e.what()), error_(std::move(e)) {}
  [[nodiscard]] const input_error& error() const noexcept { return error_; }

 private:
  input_error error_;
};

[[noreturn]] inline void throw_exception_from_error(const input_error& e,
                                                    const boost::source_location&) {
  throw input_exception(e);
}

template <class T>
using result = boost::system::result<T, input_error>;

}  // namespace orggov
