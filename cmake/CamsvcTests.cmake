# camsvc_add_test(NAME SOURCES ... [LIBS ...] LABELS unit|integration [browser] [TIMEOUT s])
# One GoogleTest binary = one ctest test, named <area>_<what>_test: "unit"
# tests call code in-process, "integration" tests start the real server
# binary (they link camsvc_test_support).
function(camsvc_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE GTest::gtest GTest::gmock GTest::gtest_main ${ARG_LIBS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests) # header-only support/ (WaitUntil.h, RequireAll.h)
  camsvc_warnings(${name})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "CAMSVC_BINARY=$<TARGET_FILE:camera-service>;CAMSVC_PLUGIN_DIR=${CAMSVC_PLUGIN_OUTPUT_DIR}")
  if(NOT ARG_LABELS OR NOT (";${ARG_LABELS};" MATCHES ";(unit|integration);") OR NOT name MATCHES "_test$")
    message(FATAL_ERROR "${name}: a test is named <area>_<what>_test and labelled unit or integration")
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
endfunction()
