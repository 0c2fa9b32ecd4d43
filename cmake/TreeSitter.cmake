# tree-sitter itself and its Python grammar, both from npm (see NpmPackage.cmake).
#
# The C library comes from the `tree-sitter` package's vendored copy rather than Debian's
# libtree-sitter 0.20.7, which double-frees on deeply nested input (a 100 KB file of unclosed
# brackets kills the process) and is slower; 0.25 parses grammars of ABI 13-15.
include(${CMAKE_CURRENT_LIST_DIR}/NpmPackage.cmake)

# dist.integrity of tree-sitter@0.25.1, base64
# mrcEdkYtHfrK1A6fs3O6FxkBo0Qig5XUXqHhxUOQu0bmPo00QF4XaSx4edpazdHwxnSCjlGKGgIqWdaN4dvTLA==, in hex.
npm_package(tree-sitter 0.25.1
  9ab70476462d1dfacad40e9fb373ba171901a344228395d45ea1e1c54390bb46e63e8d34405e17692c7879da5acdd1f0c674828e518a1a022a59d68de1dbd32c
  package/vendor/tree-sitter/lib)
set(TS_LIB ${NPM_PACKAGE_DIR}/vendor/tree-sitter/lib)

# dist.integrity of tree-sitter-python@0.23.6, base64
# yIM9z0oxKIxT7bAtPOhgoVl6gTXlmlIhue7liFT4oBPF/lha7Ha4dQBS82Av6hMMRZoVnFJI8M6mL+SwWoLD3A==, in hex.
npm_package(tree-sitter-python 0.23.6
  c8833dcf4a31288c53edb02d3ce860a1597a8135e59a5221b9eee58854f8a013c5fe585aec76b8750052f3602fea130c459a159c5248f0cea62fe4b05a82c3dc
  package/src)
set(TSP_SRC ${NPM_PACKAGE_DIR}/src)

# Third-party C: compiled without our warning flags, which it was never written for.
add_library(tree_sitter STATIC ${TS_LIB}/src/lib.c)
target_include_directories(tree_sitter PRIVATE ${TS_LIB}/src PUBLIC ${TS_LIB}/include)
# lib.c uses fdopen/le16toh, which strict C11 hides.
target_compile_definitions(tree_sitter PRIVATE _DEFAULT_SOURCE)
set_target_properties(tree_sitter PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
target_compile_options(tree_sitter PRIVATE -w -O2)

add_library(tree_sitter_python STATIC ${TSP_SRC}/parser.c ${TSP_SRC}/scanner.c)
target_include_directories(tree_sitter_python PRIVATE ${TSP_SRC})
target_link_libraries(tree_sitter_python PUBLIC tree_sitter)
set_target_properties(tree_sitter_python PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
target_compile_options(tree_sitter_python PRIVATE -w -O2)
