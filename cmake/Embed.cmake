# fo_embed_text(TARGET FILE NAMESPACE FUNCTION): compiles FILE into the target as
# `std::string_view <NAMESPACE>::<FUNCTION>()`, so a binary carries its default configuration
# and needs no files at run time.
function(fo_embed_text target file namespace function)
  file(READ "${file}" text)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${file}")
  get_filename_component(stem "${file}" NAME_WE)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${target}_${function}.cpp")
  file(WRITE "${out}.tmp"
       "#include <string_view>\n"
       "namespace ${namespace} {\n"
       "std::string_view ${function}() {\n"
       "  return R\"fo_text(${text})fo_text\";\n}\n}\n")
  file(COPY_FILE "${out}.tmp" "${out}" ONLY_IF_DIFFERENT)
  target_sources(${target} PRIVATE "${out}")
endfunction()
