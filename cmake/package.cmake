# What `cmake --install` puts where, and the Debian package cpack makes of it (cpack -G DEB):
#   include/rulebook.h (C), include/rulebook/*.hpp (C++20), include/rulebook/version.h
#   lib/librulebook.so.MAJOR.MINOR.PATCH with its SONAME link, lib/librulebook.a
#   lib/cmake/rulebook/ (find_package: rulebook::rulebook shared, rulebook::static), lib/pkgconfig/rulebook.pc
#   bin/rulebook, and in lib/rulebook the modules it loads: librulebook_postgres.so for PostgreSQL
#   ledgers, librulebook_serve.so for `rulebook serve`, librulebook_xlsx.so for xlsx workbooks
#   share/rulebook/rules and share/rulebook/schemas, side by side as in the source tree, so that a
#   pack finds its schemas (../../schemas) and `common` (beside it) wherever the prefix is
#   share/doc/rulebook: the README and docs/
set(RULEBOOK_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/rulebook)

set_target_properties(rulebook PROPERTIES EXPORT_NAME static)
install(TARGETS rulebook EXPORT rulebookStaticTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS rulebook_shared EXPORT rulebookTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT Unspecified)
set_target_properties(rulebook_shared PROPERTIES EXPORT_NAME rulebook)
install(TARGETS rulebook_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS rulebook_postgres rulebook_serve rulebook_xlsx LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/rulebook)  # its RUNPATH finds them
install(DIRECTORY ${PROJECT_SOURCE_DIR}/engine/include/rulebook DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/bindings/c/rulebook.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_BINARY_DIR}/include/rulebook/version.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/rulebook)

set(cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/rulebook)
install(EXPORT rulebookTargets NAMESPACE rulebook:: DESTINATION ${cmake_dir})
install(EXPORT rulebookStaticTargets NAMESPACE rulebook:: DESTINATION ${cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/rulebookConfig.cmake.in
  ${PROJECT_BINARY_DIR}/rulebookConfig.cmake INSTALL_DESTINATION ${cmake_dir}
  PATH_VARS RULEBOOK_INSTALL_DATADIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/rulebookConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/rulebookConfig.cmake ${PROJECT_BINARY_DIR}/rulebookConfigVersion.cmake
  DESTINATION ${cmake_dir})

# The pkg-config file finds the prefix from where it stands, so a tree unpacked anywhere works.
file(RELATIVE_PATH PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${PROJECT_SOURCE_DIR}/cmake/rulebook.pc.in ${PROJECT_BINARY_DIR}/rulebook.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/rulebook.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/rules ${PROJECT_SOURCE_DIR}/schemas DESTINATION ${RULEBOOK_INSTALL_DATADIR})
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})

# cpack -G DEB (from the build folder): one package with the library, headers, the command line,
# packs and docs, its run-time dependencies found by dpkg-shlibdeps.
set(CPACK_PACKAGE_NAME rulebook)
set(CPACK_PACKAGE_VENDOR "rulebook")
set(CPACK_PACKAGE_CONTACT "rulebook maintainers <rulebook@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "rules engine for policy-compliance checking: library, C API, command line, rule packs")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)  # debug info stays in the build: the package is a fifth of the size
# Building against rulebook::static or the C++ headers needs these too.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libfyaml-dev, libre2-dev, libsimdjson-dev, cmake, pkg-config")
set(CPACK_GENERATOR DEB)
include(CPack)

# The API reference (Doxygen): the api_docs target.
include(${CMAKE_CURRENT_LIST_DIR}/doxygen.cmake)
