// A fuzz target for testing fuzz/replay.cpp itself: the input names what it does, so the test
// can show that the replay fails on a crash, an escaping exception and a hang, and passes otherwise.

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (input.starts_with("abort")) std::abort();
  if (input.starts_with("throw")) throw std::runtime_error("thrown by the input");
  if (input.starts_with("hang"))
    for (;;) pause();
  return 0;
}
