# deploy/'s manifests and the Dockerfile's runtime packages against the binary just built
# (.ci/check-deploy; no cluster, no docker). .ci/run runs it too.
add_test(NAME deploy_check COMMAND ${CMAKE_SOURCE_DIR}/.ci/check-deploy $<TARGET_FILE:flakegrab>)
