# npm_package(NAME VERSION SHA512 PATTERNS...) fetches NAME@VERSION from the npm registry with
# `npm pack` at configure time, checks the tarball against the sha512 npm publishes as
# dist.integrity (given here in hex), and extracts the listed PATTERNS below
# ${CMAKE_BINARY_DIR}/_deps/NAME/package. No third-party source is committed.
# Sets NPM_PACKAGE_DIR (the extracted `package` folder) in the caller's scope.
function(npm_package name version sha512)
  set(dir ${CMAKE_BINARY_DIR}/_deps/${name})
  set(tgz ${dir}/${name}-${version}.tgz)
  file(MAKE_DIRECTORY ${dir})
  set(ok FALSE)
  if(EXISTS ${tgz})
    file(SHA512 ${tgz} actual)
    if(actual STREQUAL sha512)
      set(ok TRUE)
    endif()
  endif()
  if(NOT ok)
    find_program(NPM npm REQUIRED)
    message(STATUS "Fetching ${name}@${version} with npm pack")
    execute_process(
      COMMAND ${NPM} pack ${name}@${version} --silent
      WORKING_DIRECTORY ${dir}
      RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
    if(NOT rc EQUAL 0 OR NOT EXISTS ${tgz})
      message(FATAL_ERROR "npm pack ${name}@${version} failed: ${err}")
    endif()
    file(SHA512 ${tgz} actual)
    if(NOT actual STREQUAL sha512)
      file(REMOVE ${tgz})
      message(FATAL_ERROR "${name}-${version}.tgz: sha512 does not match npm's integrity")
    endif()
  endif()
  # The marker names the version, so a version bump re-extracts instead of mixing files.
  if(NOT EXISTS ${dir}/package/.extracted-${version})
    file(REMOVE_RECURSE ${dir}/package)
    file(ARCHIVE_EXTRACT INPUT ${tgz} DESTINATION ${dir} PATTERNS ${ARGN})
    file(TOUCH ${dir}/package/.extracted-${version})
  endif()
  set(NPM_PACKAGE_DIR ${dir}/package PARENT_SCOPE)
endfunction()
