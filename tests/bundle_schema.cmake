# Every bundle `flakegrab bundle` writes must validate against the shared v1 contract schema:
# write one from the fixtures with the CLI, then check it with Debian's python3-jsonschema
# (Draft 2020-12, format checks on).
set(BUNDLE_SCHEMA_OUT ${CMAKE_CURRENT_BINARY_DIR}/bundle_schema_check.json)
add_test(NAME bundle_schema_write
  COMMAND flakegrab bundle --junit ${CMAKE_SOURCE_DIR}/fixtures/history/junit
          --junit ${CMAKE_SOURCE_DIR}/fixtures/history/junit-styles --retention-days 14
          --source-branch main -o ${BUNDLE_SCHEMA_OUT})
set_tests_properties(bundle_schema_write PROPERTIES FIXTURES_SETUP bundle_schema_written)
add_test(NAME bundle_schema_validate
  COMMAND /usr/bin/python3 -c
    "import json,sys,jsonschema\nV=jsonschema.Draft202012Validator\nb=json.load(open(sys.argv[2]))\nV(json.load(open(sys.argv[1])),format_checker=V.FORMAT_CHECKER).validate(b)\nassert b['tests'], 'empty bundle'\nprint('valid:', len(b['runs']), 'runs,', len(b['tests']), 'tests')"
    ${CMAKE_SOURCE_DIR}/../shared/contracts/flake-history-bundle.v1.schema.json ${BUNDLE_SCHEMA_OUT})
set_tests_properties(bundle_schema_validate PROPERTIES FIXTURES_REQUIRED bundle_schema_written)

# The correlate and cli tests run a real cpp-httplib server on 127.0.0.1.
foreach(binary correlate_tests cli_tests)
  if(TARGET ${binary})
    target_link_libraries(${binary} PRIVATE PkgConfig::HTTPLIB)
  endif()
endforeach()
