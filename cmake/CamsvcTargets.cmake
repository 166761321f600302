# Helpers shared by every target of the tree.

# Warnings on, for our code only.
function(camsvc_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-missing-field-initializers)
endfunction()

# camsvc_add_plugin(NAME SOURCES ... [LIBS ...])
# Builds plugins/NAME as NAME.so into the plugin directory of the build tree
# and installs it beside the binary's plugin directory.
function(camsvc_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_library(plugin_${name} MODULE ${ARG_SOURCES})
  set_target_properties(plugin_${name} PROPERTIES
    OUTPUT_NAME ${name} PREFIX ""
    LIBRARY_OUTPUT_DIRECTORY ${CAMSVC_PLUGIN_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(plugin_${name} PRIVATE camsvc::sdk ${ARG_LIBS})
  camsvc_warnings(plugin_${name})
  install(TARGETS plugin_${name} LIBRARY DESTINATION ${CAMSVC_PLUGIN_SUBDIR})
endfunction()

# Adds every direct subdirectory of the current source dir (or of DIR) that
# has a CMakeLists.txt, in sorted order: plugins/, bench/ and tests/plugins/
# pick up new members without editing a list.
function(camsvc_add_subdirectories)
  cmake_parse_arguments(ARG "" "DIR" "" ${ARGN})
  set(base ${CMAKE_CURRENT_SOURCE_DIR})
  set(prefix "")
  if(ARG_DIR)
    set(prefix "${ARG_DIR}/")
  endif()
  file(GLOB children RELATIVE ${base} ${base}/${prefix}*)
  list(SORT children)
  foreach(child ${children})
    if(EXISTS ${base}/${child}/CMakeLists.txt)
      add_subdirectory(${child})
    endif()
  endforeach()
endfunction()
