# The lock-order check keyed by lock class (kernel/sync/lock_class.hpp;
# docs/interrupts.md, "Lock order"): an inversion between two classes seen
# through different instances, and two locks of one class held together.
# Each ends in one PANIC line naming the classes, the instances and the
# sites. Included by tests/CMakeLists.txt after crash_tests.cmake, which
# defines keel_crash_test().

set(lockclass_fn "${KEEL_CRASH_SCOPE}")
set(lockclass_site "${KEEL_CLONES}\\+0x[0-9a-f]+")
set(lockclass_instance "\\(0x[0-9a-f]{16}\\)")

# The first order with one pair of instances, the opposite with the other
# pair: an instance-keyed check never sees the same two locks twice.
keel_crash_test(lock-class-order FUNCTION take_kinds_in_reverse
    EXPECT "^PANIC: lock order inverted: CPU 0 takes lock crash A ${lockclass_instance} at ${lockclass_fn}take_kinds_in_reverse\\(\\)${lockclass_site} while holding lock crash B ${lockclass_instance} from ${lockclass_fn}take_kinds_in_reverse\\(\\)${lockclass_site}, but took crash B while holding crash A before: lock crash A at ${lockclass_fn}take_kinds_in_order\\(\\)${lockclass_site}, then lock crash B at ${lockclass_fn}take_kinds_in_order\\(\\)${lockclass_site}$")

# Two instances of one class nested, without lock_nested.
keel_crash_test(lock-class-nested FUNCTION take_one_kind_twice
    EXPECT "^PANIC: lock class crash A nested: CPU 0 takes lock crash A ${lockclass_instance} at ${lockclass_fn}take_one_kind_twice\\(\\)${lockclass_site} while holding lock crash A ${lockclass_instance} from ${lockclass_fn}take_one_kind_twice\\(\\)${lockclass_site}: no order is known between two locks of one class \\(if the code fixes one, take the inner lock with lock_nested\\)$")

unset(lockclass_fn)
unset(lockclass_site)
unset(lockclass_instance)
