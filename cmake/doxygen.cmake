# The API reference, generated from the public headers by Doxygen (Debian: doxygen):
#   cmake --build build --target api_docs   →   build/docs/api/html/index.html
find_package(Doxygen QUIET)
if(NOT DOXYGEN_FOUND)
  message(STATUS "rulebook: no doxygen: the api_docs target is not defined")
  return()
endif()
set(DOXYGEN_PROJECT_NAME rulebook)
set(DOXYGEN_PROJECT_BRIEF "C++20 and C API of the rulebook rules engine")
set(DOXYGEN_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/docs/api)
set(DOXYGEN_GENERATE_LATEX NO)
set(DOXYGEN_EXTRACT_ALL YES)  # every public declaration, documented or not
set(DOXYGEN_EXCLUDE_SYMBOLS detail)
set(DOXYGEN_STRIP_FROM_PATH ${PROJECT_SOURCE_DIR}/engine/include ${PROJECT_SOURCE_DIR}/bindings/c)
set(DOXYGEN_FILE_PATTERNS *.hpp *.h)
set(DOXYGEN_QUIET YES)
set(DOXYGEN_WARN_IF_UNDOCUMENTED NO)
doxygen_add_docs(api_docs ${PROJECT_SOURCE_DIR}/engine/include/rulebook ${PROJECT_SOURCE_DIR}/bindings/c/rulebook.h
  ${PROJECT_BINARY_DIR}/include/rulebook/version.h COMMENT "API reference: ${PROJECT_BINARY_DIR}/docs/api/html")
