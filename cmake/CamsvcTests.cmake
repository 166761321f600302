# camsvc_add_test(NAME SOURCES ... [LIBS ...] [LABELS ...] [TIMEOUT s])
# One GoogleTest binary = one ctest test. Integration tests link
# camsvc_test_support, which starts the real server binary.
function(camsvc_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE GTest::gtest GTest::gmock GTest::gtest_main ${ARG_LIBS})
  camsvc_warnings(${name})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "CAMSVC_BINARY=$<TARGET_FILE:camera-service>;CAMSVC_PLUGIN_DIR=${CAMSVC_PLUGIN_OUTPUT_DIR}")
  if(ARG_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()
