# Default kernel toolchain: clang + lld as a real cross compiler for bare-metal
# x86_64 (no home-built GCC needed). Selected by the top-level CMakeLists.txt
# when no CMAKE_TOOLCHAIN_FILE is given.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

find_program(KEEL_CLANGXX NAMES clang++ clang++-14 clang++-15 clang++-16)
find_program(KEEL_CLANG NAMES clang clang-14 clang-15 clang-16)
find_program(KEEL_LLD NAMES ld.lld ld.lld-14 ld.lld-15 ld.lld-16)
if(NOT KEEL_CLANGXX OR NOT KEEL_CLANG OR NOT KEEL_LLD)
    message(FATAL_ERROR
        "The default kernel toolchain needs clang and lld, which were not found.\n"
        "Install them with:  sudo apt-get install clang lld\n"
        "or use the host GCC:  cmake -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-gcc.cmake ..")
endif()

set(CMAKE_CXX_COMPILER "${KEEL_CLANGXX}")
set(CMAKE_ASM_COMPILER "${KEEL_CLANG}")
set(CMAKE_CXX_COMPILER_TARGET x86_64-unknown-none-elf)
set(CMAKE_ASM_COMPILER_TARGET x86_64-unknown-none-elf)
set(KEEL_LINKER_FLAGS -fuse-ld=lld)
set(KEEL_TOOLCHAIN clang)

# A bare-metal target has no C runtime to link a test executable against.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# Never pick up the host's libraries or headers for the kernel.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
