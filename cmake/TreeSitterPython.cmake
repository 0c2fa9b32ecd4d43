# Fetches the tree-sitter Python grammar from the npm registry at configure time and
# verifies it against the integrity hash npm publishes, so no third-party source is committed.
set(TSP_VERSION 0.23.6)
# npm's dist.integrity for tree-sitter-python@0.23.6 (sha512, base64
# yIM9z0oxKIxT7bAtPOhgoVl6gTXlmlIhue7liFT4oBPF/lha7Ha4dQBS82Av6hMMRZoVnFJI8M6mL+SwWoLD3A==), in hex.
set(TSP_SHA512
    c8833dcf4a31288c53edb02d3ce860a1597a8135e59a5221b9eee58854f8a013c5fe585aec76b8750052f3602fea130c459a159c5248f0cea62fe4b05a82c3dc)
set(TSP_DIR ${CMAKE_BINARY_DIR}/_deps/tree-sitter-python)
set(TSP_TGZ ${TSP_DIR}/tree-sitter-python-${TSP_VERSION}.tgz)

function(tsp_verify out)
  file(SHA512 ${TSP_TGZ} actual)
  if(actual STREQUAL TSP_SHA512)
    set(${out} TRUE PARENT_SCOPE)
  else()
    set(${out} FALSE PARENT_SCOPE)
  endif()
endfunction()

file(MAKE_DIRECTORY ${TSP_DIR})
set(tsp_ok FALSE)
if(EXISTS ${TSP_TGZ})
  tsp_verify(tsp_ok)
endif()
if(NOT tsp_ok)
  find_program(NPM npm REQUIRED)
  message(STATUS "Fetching tree-sitter-python@${TSP_VERSION} with npm pack")
  execute_process(
    COMMAND ${NPM} pack tree-sitter-python@${TSP_VERSION} --silent
    WORKING_DIRECTORY ${TSP_DIR}
    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT EXISTS ${TSP_TGZ})
    message(FATAL_ERROR "npm pack tree-sitter-python@${TSP_VERSION} failed: ${err}")
  endif()
  tsp_verify(tsp_ok)
  if(NOT tsp_ok)
    file(REMOVE ${TSP_TGZ})
    message(FATAL_ERROR "tree-sitter-python-${TSP_VERSION}.tgz: sha512 does not match npm's integrity")
  endif()
  file(REMOVE_RECURSE ${TSP_DIR}/package)
endif()
if(NOT EXISTS ${TSP_DIR}/package/src/parser.c)
  file(ARCHIVE_EXTRACT INPUT ${TSP_TGZ} DESTINATION ${TSP_DIR} PATTERNS package/src)
endif()

# Generated C: compiled without our warning flags, which it was never written for.
add_library(tree_sitter_python STATIC ${TSP_DIR}/package/src/parser.c
                                      ${TSP_DIR}/package/src/scanner.c)
target_include_directories(tree_sitter_python PRIVATE ${TSP_DIR}/package/src)
set_target_properties(tree_sitter_python PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
target_compile_options(tree_sitter_python PRIVATE -w -O2)
