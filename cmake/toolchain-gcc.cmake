# Alternative kernel toolchain: the host's GCC and GNU ld. The x86_64 Linux
# GCC emits the same ELF64 code as a cross compiler once the kernel flags
# (freestanding, no red zone, -mcmodel=kernel, no libc) are applied.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

find_program(KEEL_GXX NAMES g++ g++-12 g++-13)
find_program(KEEL_GCC NAMES gcc gcc-12 gcc-13)
if(NOT KEEL_GXX OR NOT KEEL_GCC)
    message(FATAL_ERROR "The GCC kernel toolchain needs g++.\n"
        "Install it with:  sudo apt-get install g++")
endif()
set(CMAKE_CXX_COMPILER "${KEEL_GXX}")
set(CMAKE_ASM_COMPILER "${KEEL_GCC}")
set(KEEL_LINKER_FLAGS -no-pie)
set(KEEL_TOOLCHAIN gcc)

set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
