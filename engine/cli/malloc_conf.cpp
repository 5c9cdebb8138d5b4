// jemalloc's settings, which it reads from this symbol when it starts (MALLOC_CONF in the
// environment still overrides them). Transparent huge pages for the heap and jemalloc's own
// metadata: a page fault costs ~27 µs on the VMs we measure, and `rulebook check` took ~220 of
// them filling 4 KiB heap pages one by one, a fifth of its time (bench/run.sh: 15.9 → 12.6 ms).
// The price is memory in 2 MiB steps: `batch --summary -j2` peaks at 24.5 MB (was 13.5 MB),
// flat as the input grows. Where the kernel gives no huge pages, nothing changes.
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "thp:always,metadata_thp:always";
}
