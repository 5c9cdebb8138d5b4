# The `rulebook` program links statically the third-party libraries Debian ships an archive of
# (RULEBOOK_STATIC_DEPS): each shared library is a file the loader finds, maps and relocates at
# every start, and `rulebook check` answers one document in milliseconds. Only a target with the
# property RULEBOOK_STATIC_DEPS gets the archives; the others that link the same libraries (the
# Python module, librulebook.so, the tests) keep the shared ones. libstdc++ and libgcc_s stay
# shared: the PostgreSQL module throws LedgerError to the program, one runtime must catch it.
# simdjson has no archive. The libraries of xlsx workbooks (minizip, pugixml, libxlsxwriter, which
# bring zlib and libcrypto) and of the HTTP service (cpp-httplib's OpenSSL, brotli) are loaded
# with their modules, by what needs them (engine/CMakeLists.txt).
# Measured (#15): 18 shared libraries to 14, 16.6 M instructions to 13.6 M for `rulebook
# --version`, `rulebook check` 13.0 to 11.3 ms of CPU. The linker options -z now, -z
# pack-relative-relocs, -O1, -z noseparate-code and -no-pie changed nothing measurable (-z now
# costs 0.3 M instructions): none is used.

# rulebook_static_dep(NAME SHARED ARCHIVE [LIBS…]): the target rulebook_dep_NAME, which links
# SHARED (a target or a file), or in a target with RULEBOOK_STATIC_DEPS the archive named ARCHIVE
# and the system LIBS it needs.
function(rulebook_static_dep name shared archive)
  add_library(rulebook_dep_${name} INTERFACE)
  find_library(RULEBOOK_${name}_ARCHIVE NAMES ${archive})
  if(NOT RULEBOOK_STATIC_DEPS OR NOT RULEBOOK_${name}_ARCHIVE)
    target_link_libraries(rulebook_dep_${name} INTERFACE ${shared})
    return()
  endif()
  set(static "$<BOOL:$<TARGET_PROPERTY:RULEBOOK_STATIC_DEPS>>")
  target_link_libraries(rulebook_dep_${name} INTERFACE "$<$<NOT:${static}>:${shared}>"
    "$<${static}:${RULEBOOK_${name}_ARCHIVE};${ARGN}>")
endfunction()
