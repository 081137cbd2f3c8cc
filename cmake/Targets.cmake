# Shared compile settings and small helpers so each folder's CMakeLists stays a few lines.
add_library(fo_compile_options INTERFACE)
# -Wno-mismatched-new-delete: GCC 12 at -O2 misreads Asio's coroutine-frame allocator
# (awaitable_frame_base::operator new/delete) as a mismatch; nothing else trips it.
target_compile_options(fo_compile_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                                                    -Wnon-virtual-dtor -Wno-mismatched-new-delete)
target_compile_definitions(fo_compile_options INTERFACE BOOST_ASIO_NO_DEPRECATED)
target_include_directories(fo_compile_options INTERFACE ${PROJECT_SOURCE_DIR})
if(FO_WERROR)
  target_compile_options(fo_compile_options INTERFACE -Werror)
endif()
if(FO_SANITIZE)
  target_compile_options(fo_compile_options INTERFACE -fsanitize=address,undefined
                                                      -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(fo_compile_options INTERFACE -fsanitize=address,undefined)
endif()

# fo_library(NAME SOURCES ... DEPS ...): a static library of the platform or a service.
function(fo_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_link_libraries(${name} PUBLIC fo_compile_options ${ARG_DEPS})
endfunction()

# fo_test(NAME SOURCES ... DEPS ... [LABELS ...]): a GoogleTest binary registered with ctest.
function(fo_test name)
  if(NOT FO_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE fo_compile_options ${ARG_DEPS} GTest::gtest GTest::gmock
                                        GTest::gtest_main)
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  set(props LABELS "${ARG_LABELS}")
  if("integration" IN_LIST ARG_LABELS)
    # Integration tests share the private database: never run two at once.
    list(APPEND props RESOURCE_LOCK fo_database)
  endif()
  # Test names start with the binary's name (fo_product_unit_test.Rules.X), so
  # `ctest -R product` selects a service's tests.
  gtest_discover_tests(${name} TEST_PREFIX "${name}." PROPERTIES ${props} DISCOVERY_TIMEOUT 60)
endfunction()
