# The fuzzers, by name: tests/fuzz/CMakeLists.txt builds fuzz_<name> and
# registers fuzz.<name>; tests/CMakeLists.txt runs each of those as a test of
# its own, so that ctest -j spreads them over the cores.
set(KEEL_FUZZ_TARGETS multiboot2 pvh cmdline acpi s5 buddy heap pci input)
