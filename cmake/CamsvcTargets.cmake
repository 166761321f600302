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
