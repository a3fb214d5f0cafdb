// The symbol map made from the first link (tools/make_symbol_map.py),
// embedded by the second; src/CMakeLists.txt passes its path.
    .section .keel_symbols, "a", @progbits
    .incbin KEEL_SYMBOL_MAP

// No executable stack wanted (GNU ld warns about objects that do not say so).
.section .note.GNU-stack, "", @progbits
