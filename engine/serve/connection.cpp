#include "serve/connection.hpp"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

namespace rulebook::serve {
namespace {

void address(const sockaddr_storage& sa, std::string& ip, int& port) {
  char buf[INET6_ADDRSTRLEN] = "";
  if (sa.ss_family == AF_INET) {
    auto* in = reinterpret_cast<const sockaddr_in*>(&sa);
    inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf);
    port = ntohs(in->sin_port);
  } else if (sa.ss_family == AF_INET6) {
    auto* in6 = reinterpret_cast<const sockaddr_in6*>(&sa);
    inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf);
    port = ntohs(in6->sin6_port);
  }
  ip = buf;
}

}  // namespace

bool Connection::wait(short events, int timeout_ms) const {
  pollfd p{fd_, events, 0};
  for (;;) {
    int rc = ::poll(&p, 1, timeout_ms);
    if (rc < 0 && errno == EINTR) continue;
    return rc > 0;
  }
}

bool Connection::is_readable() const {
  // Rounded up: poll may wake a fraction of a millisecond early, and that is still the deadline.
  auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
  bool bounded = deadline_ != Clock::time_point::max();
  if (!bounded) left = 60'000;
  if (left <= 0 || !wait(POLLIN, int(std::min<long long>(left, 60'000)))) {
    // Nothing arrived in time: the deadline's doing whenever it, not the 60 s cap, bounded the wait.
    timed_out_ = bounded && left <= 60'000;
    return false;
  }
  return true;
}

bool Connection::is_writable() const { return wait(POLLOUT, write_timeout_ms_); }

ssize_t Connection::read(char* ptr, size_t size) {
  if (!is_readable()) return -1;
  for (;;) {
    ssize_t n = ::recv(fd_, ptr, size, 0);
    if (n < 0 && errno == EINTR) continue;
    return n;
  }
}

ssize_t Connection::write(const char* ptr, size_t size) {
  if (!is_writable()) return -1;
  for (;;) {
    ssize_t n = ::send(fd_, ptr, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    return n;
  }
}

void Connection::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage sa{};
  socklen_t len = sizeof sa;
  if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&sa), &len) == 0) address(sa, ip, port);
}

void Connection::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage sa{};
  socklen_t len = sizeof sa;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len) == 0) address(sa, ip, port);
}

bool wait_readable(int fd, int timeout_ms, const std::atomic<bool>* stop) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  pollfd p{fd, POLLIN, 0};
  for (;;) {
    if (stop && stop->load()) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()).count();
    if (left <= 0) return false;
    int rc = ::poll(&p, 1, int(std::min<long long>(left, 100)));
    if (rc > 0) return true;
    if (rc < 0 && errno != EINTR) return false;
  }
}

void close_gracefully(int fd) {
  ::shutdown(fd, SHUT_WR);
  char buf[16384];
  std::size_t drained = 0;
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  pollfd p{fd, POLLIN, 0};
  while (drained < (1u << 20)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()).count();
    if (left <= 0 || ::poll(&p, 1, int(left)) <= 0) break;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    drained += std::size_t(n);
  }
  ::close(fd);
}

}  // namespace rulebook::serve
