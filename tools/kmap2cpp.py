#!/usr/bin/env python3
"""Converts Debian console-data keymaps (loadkeys' .kmap format) to C++.

    kmap2cpp.py <keymaps-root> <out.cpp> NAME=RELPATH[|RELPATH...]...

e.g. `us=qwerty/us` `de=qwertz/de-latin1|qwertz/de`: the first path that
exists under <keymaps-root> (/usr/share/keymaps/i386) is used. For each map
the columns plain, shift, altgr and shift+altgr of keycodes 0-127 are
resolved to Unicode characters; the kernel decides everything else (Enter,
the arrows, the function keys) from the keycode itself.

What is read of the format (keymaps(5)): `keymaps` (which modifier
combination each column of a `keycode` line is), `keycode N = sym...`,
`[plain|shift|altgr|control|alt|...]... keycode N = sym` lines for one
combination, `include "name"` (searched beside the file, then in include/),
keysyms by name, as `U+XXXX`, as numbers, and `+sym` (Caps Lock applies).
One letter alone on a keycode line fills shift with its capital, as loadkeys
does. Dead keys give their spacing character (the kernel composes nothing).
A name this tool does not know in a character column stops the build: a
keymap must not silently lose a character.
"""
import gzip
import os
import re
import sys
import unicodedata

MODIFIERS = {"plain": 0, "shift": 1, "altgr": 2, "control": 4, "alt": 8, "shiftl": 16,
             "shiftr": 32, "ctrll": 64, "ctrlr": 128, "capsshift": 256}
COLUMNS = 4  # plain, shift, altgr, shift+altgr: the combinations the kernel uses

# ASCII and Latin-1 keysym names (the kernel's own spelling in loadkeys'
# ksyms tables) that Unicode names cannot give by rule.
NAMED = {
    "space": " ", "exclam": "!", "quotedbl": '"', "numbersign": "#", "dollar": "$",
    "percent": "%", "ampersand": "&", "apostrophe": "'", "parenleft": "(",
    "parenright": ")", "asterisk": "*", "plus": "+", "comma": ",", "minus": "-",
    "period": ".", "slash": "/", "zero": "0", "one": "1", "two": "2", "three": "3",
    "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
    "colon": ":", "semicolon": ";", "less": "<", "equal": "=", "greater": ">",
    "question": "?", "at": "@", "bracketleft": "[", "backslash": "\\",
    "bracketright": "]", "asciicircum": "^", "underscore": "_", "grave": "`",
    "braceleft": "{", "bar": "|", "braceright": "}", "asciitilde": "~",
    "nobreakspace": "\u00a0", "exclamdown": "¡", "cent": "¢", "sterling": "£",
    "currency": "¤", "yen": "¥", "brokenbar": "¦", "section": "§", "diaeresis": "¨",
    "copyright": "©", "ordfeminine": "ª", "guillemotleft": "«", "notsign": "¬",
    "hyphen": "\u00ad", "registered": "®", "macron": "¯", "degree": "°",
    "plusminus": "±", "twosuperior": "²", "threesuperior": "³", "acute": "´",
    "mu": "µ", "paragraph": "¶", "periodcentered": "·", "cedilla": "¸",
    "onesuperior": "¹", "masculine": "º", "guillemotright": "»", "onequarter": "¼",
    "onehalf": "½", "threequarters": "¾", "questiondown": "¿", "multiply": "×",
    "division": "÷", "ssharp": "ß", "ydiaeresis": "ÿ", "AE": "Æ", "ae": "æ",
    "ETH": "Ð", "eth": "ð", "THORN": "Þ", "thorn": "þ", "Ooblique": "Ø",
    "oslash": "ø", "EuroSign": "€", "euro": "€", "currency_sign": "¤",
    "KP_0": "0", "KP_1": "1", "KP_2": "2", "KP_3": "3", "KP_4": "4", "KP_5": "5",
    "KP_6": "6", "KP_7": "7", "KP_8": "8", "KP_9": "9", "KP_Add": "+",
    "KP_Subtract": "-", "KP_Multiply": "*", "KP_Divide": "/", "KP_Period": ".",
    "KP_Comma": ",",
    # Dead keys: their spacing character (no composition in the kernel).
    "dead_grave": "`", "dead_acute": "´", "dead_circumflex": "^", "dead_tilde": "~",
    "dead_diaeresis": "¨", "dead_cedilla": "¸", "dead_ogonek": "˛", "dead_caron": "ˇ",
    "dead_breve": "˘", "dead_doubleacute": "˝", "dead_abovedot": "˙",
    "dead_abovering": "°",
}
ACCENTS = {"acute": "ACUTE", "grave": "GRAVE", "circumflex": "CIRCUMFLEX",
           "diaeresis": "DIAERESIS", "tilde": "TILDE", "cedilla": "CEDILLA",
           "ring": "RING ABOVE", "caron": "CARON", "ogonek": "OGONEK", "breve": "BREVE",
           "abovedot": "DOT ABOVE", "doubleacute": "DOUBLE ACUTE", "macron": "MACRON",
           "stroke": "STROKE"}
# Keysyms that are not characters (actions, function keys, modifiers,
# control codes): a character column holding one is simply empty.
NOT_CHARACTER = re.compile(
    r"^(VoidSymbol|nul|Escape|Delete|BackSpace|Tab|Return|Linefeed|Remove|Insert|Find|"
    r"Select|Prior|Next|PageUp|PageDown|Home|End|Up|Down|Left|Right|Break|Pause|"
    r"Caps_Lock|CtrlL_Lock|Num_Lock|Scroll_Lock|Bare_Num_Lock|Caps_On|Compose|"
    r"Shift|Control|Alt|AltGr|ShiftL|ShiftR|CtrlL|CtrlR|AltL|AltR|"
    r"Shift_Lock|AltGr_Lock|Control_Lock|Alt_Lock|SAK|Boot|Show_\w+|Last_Console|"
    r"Scroll_Forward|Scroll_Backward|Spawn_Console|Hex_\w|KP_Enter|KP_MinPlus|"
    r"Incr_Console|Decr_Console|Console_\d+|F\d+|Meta_\w+|Control_\w+|Macro|Help|Do|"
    r"Sticky\w+|Incr_Led|KeyboardSignal|showmem|Shift_Lock|Ctrl|Meta|dead_\w+_below|"
    r"Uncaps_Shift|Eject)$")


class KeymapError(Exception):
    pass


def keysym_char(name, where):
    """The Unicode character a keysym types, or None for a non-character."""
    if name.startswith("U+"):
        cp = int(name[2:], 16)
        return None if cp < 0x20 or cp == 0x7F else chr(cp)
    if re.fullmatch(r"0x[0-9a-fA-F]+|[0-9]+", name):
        cp = int(name, 0)
        # Numeric keysyms are (type << 8 | value); type 0 is Latin-1.
        return chr(cp) if cp < 0x100 and cp >= 0x20 and cp != 0x7F else None
    if name in NAMED:
        return NAMED[name]
    if len(name) == 1 and name.isalpha():
        return name
    m = re.fullmatch(r"([A-Za-z])(" + "|".join(ACCENTS) + ")", name)
    if m:
        letter, accent = m.groups()
        case = "CAPITAL" if letter.isupper() else "SMALL"
        try:
            return unicodedata.lookup(f"LATIN {case} LETTER {letter.upper()} WITH "
                                      f"{ACCENTS[accent]}")
        except KeyError:
            pass
    if NOT_CHARACTER.match(name):
        return None
    raise KeymapError(f"{where}: keysym '{name}' is not known to kmap2cpp.py")


def open_text(path):
    if path.endswith(".gz"):
        return gzip.open(path, "rt", encoding="latin-1")
    return open(path, encoding="latin-1")


def find_include(name, here, root):
    for folder in (here, os.path.join(root, "include")):
        for ext in ("", ".inc.gz", ".inc", ".kmap.gz", ".gz"):
            path = os.path.join(folder, name + ext)
            if os.path.isfile(path):
                return path
    raise KeymapError(f"include \"{name}\" not found beside {here} or in {root}/include")


class Keymap:
    def __init__(self, root):
        self.root = root
        self.columns = [0, 1, 2]  # loadkeys' default without a keymaps line
        self.table = {}  # keycode -> [char or None] * COLUMNS
        self.caps = set()  # keycodes whose plain keysym is a letter (Caps Lock applies)
        self.depth = 0

    def assign(self, keycode, combo, sym, where):
        if combo >= COLUMNS or keycode > 127:
            return
        plus = sym.startswith("+")
        name = sym[1:] if plus else sym
        char = keysym_char(name, where)
        row = self.table.setdefault(keycode, [None] * COLUMNS)
        row[combo] = char
        if combo == 0:
            letter = plus or (len(name) == 1 and name.isalpha())
            if letter:
                self.caps.add(keycode)
            else:
                self.caps.discard(keycode)

    def load(self, path):
        self.depth += 1
        if self.depth > 10:
            raise KeymapError(f"{path}: includes nested too deep")
        with open_text(path) as f:
            lines = f.read().split("\n")
        here = os.path.dirname(path)
        for number, raw in enumerate(lines, 1):
            where = f"{path}:{number}"
            line = re.split(r"[#!]", raw, maxsplit=1)[0].strip()
            if not line:
                continue
            words = line.split()
            if words[0] == "include":
                self.load(find_include(line.split('"')[1], here, self.root))
            elif words[0] == "keymaps":
                self.columns = []
                for part in words[1].split(","):
                    lo, _, hi = part.partition("-")
                    self.columns += range(int(lo), int(hi or lo) + 1)
            elif "keycode" in words and "=" in words:
                k = words.index("keycode")
                prefix, keycode = words[:k], int(words[k + 1], 0)
                syms = words[words.index("=") + 1:]
                if prefix:
                    combo = 0
                    for word in prefix:
                        if word not in MODIFIERS:
                            raise KeymapError(f"{where}: unknown modifier '{word}'")
                        combo |= MODIFIERS[word]
                    if syms:
                        self.assign(keycode, combo, syms[0], where)
                    continue
                if len(syms) == 1:
                    name = syms[0].lstrip("+")
                    if len(name) == 1 and name.isalpha():
                        # One letter alone: its capital on shift, as loadkeys does.
                        self.table[keycode] = [None] * COLUMNS
                        self.assign(keycode, 0, syms[0], where)
                        self.assign(keycode, 1, name.upper(), where)
                        self.assign(keycode, 2, name, where)
                        self.assign(keycode, 3, name.upper(), where)
                        continue
                for column, sym in zip(self.columns, syms):
                    self.assign(keycode, column, sym, where)
            # Everything else (strings, compose, charset, alt_is_meta) does
            # not change which character a key types.
        self.depth -= 1


def cpp_char(c):
    return "0" if c is None else f"0x{ord(c):04X}"


def main(argv):
    if len(argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    root, out = argv[1], argv[2]
    parts = ["// Generated by tools/kmap2cpp.py from Debian's console-data keymaps.",
             "// Do not edit: change the tool or the keymap list in cmake/Keymaps.cmake.",
             '#include "kernel/input/keymap.hpp"', "", "namespace kernel::input {", ""]
    names = []
    for spec in argv[3:]:
        name, _, paths = spec.partition("=")
        path = next((os.path.join(root, p + ".kmap.gz") for p in paths.split("|")
                     if os.path.isfile(os.path.join(root, p + ".kmap.gz"))), None)
        if path is None:
            raise KeymapError(f"keymap {name}: none of {paths} under {root} "
                              "(install the Debian package console-data)")
        km = Keymap(root)
        km.load(path)
        ident = f"k{name.capitalize()}Keys"
        parts.append(f"// {name}: {os.path.relpath(path, root)}")
        parts.append(f"constexpr KeymapEntry {ident}[kKeymapKeycodes] = {{")
        for keycode in range(128):
            row = km.table.get(keycode)
            if row is None or all(c is None for c in row):
                parts.append(f"    {{}},  // {keycode}")
                continue
            chars = ", ".join(cpp_char(c) for c in row)
            caps = "true" if keycode in km.caps else "false"
            parts.append(f"    {{{{{chars}}}, {caps}}},  // {keycode}")
        parts.append("};")
        parts.append("")
        names.append((name, ident))
    parts.append("constexpr Keymap kGeneratedKeymaps[] = {")
    for name, ident in names:
        parts.append(f'    {{"{name}", {ident}}},')
    parts.append("};")
    parts.append("")
    parts.append("ktl::span<const Keymap> generated_keymaps() { return kGeneratedKeymaps; }")
    joined = ", ".join(name for name, _ in names)
    parts.append(f'ktl::string_view keymap_names() {{ return "{joined}"; }}')
    parts.append("")
    parts.append("}  // namespace kernel::input")
    text = "\n".join(parts) + "\n"
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except KeymapError as e:
        sys.stderr.write(f"kmap2cpp.py: {e}\n")
        sys.exit(1)
