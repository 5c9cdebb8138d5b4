#pragma once
// A client connection as cpp-httplib's Stream, with a deadline on receiving each request.

#include <httplib.h>

#include <chrono>
#include <string>

namespace rulebook::serve {

/// Not thread-safe: one worker owns a connection at a time.
class Connection final : public httplib::Stream {
 public:
  using Clock = std::chrono::steady_clock;
  Connection(int fd, int write_timeout_ms) : fd_(fd), write_timeout_ms_(write_timeout_ms) {}

  /// Every read until the next call must finish by `deadline`; a read past it fails, which
  /// ends the request and the connection.
  void set_read_deadline(Clock::time_point deadline) { deadline_ = deadline; }
  bool timed_out() const { return timed_out_; }

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return fd_; }

 private:
  bool wait(short events, int timeout_ms) const;
  int fd_;
  int write_timeout_ms_;
  Clock::time_point deadline_ = Clock::time_point::max();
  mutable bool timed_out_ = false;
};

/// Waits until `fd` is readable, at most `timeout_ms`, giving up early once `*stop` is set.
bool wait_readable(int fd, int timeout_ms, const std::atomic<bool>* stop);

/// Half-closes and drains what the client still sends (bounded), then closes: closing with
/// unread bytes sends a reset that can destroy the answer before the client reads it.
void close_gracefully(int fd);

}  // namespace rulebook::serve
