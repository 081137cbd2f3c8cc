# fo_embed_migrations(TARGET DIR NAMESPACE): compiles every DIR/NNN_name.sql into the target as
# `const std::vector<fo::pg::Migration>& <NAMESPACE>::Migrations()`, so a binary carries its own
# schema and needs no files at run time.
function(fo_embed_migrations target dir namespace)
  file(GLOB files CONFIGURE_DEPENDS "${dir}/*.sql")
  list(SORT files)
  set(body "")
  foreach(file IN LISTS files)
    get_filename_component(name "${file}" NAME_WE)
    string(REGEX MATCH "^[0-9]+" version "${name}")
    if(version STREQUAL "")
      message(FATAL_ERROR "migration ${file} must start with its version number")
    endif()
    math(EXPR version "${version}")
    file(READ "${file}" sql)
    # A changed migration re-runs configure, so the binary never carries a stale copy.
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${file}")
    string(APPEND body "      {${version}, \"${name}\", R\"fo_sql(${sql})fo_sql\"},\n")
  endforeach()
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${target}_migrations.cpp")
  file(WRITE "${out}.tmp"
       "#include \"platform/pg/migrations.hpp\"\n"
       "namespace ${namespace} {\n"
       "const std::vector<fo::pg::Migration>& Migrations() {\n"
       "  static const std::vector<fo::pg::Migration> all{\n${body}  };\n"
       "  return all;\n}\n}\n")
  file(COPY_FILE "${out}.tmp" "${out}" ONLY_IF_DIFFERENT)
  target_sources(${target} PRIVATE "${out}")
endfunction()
