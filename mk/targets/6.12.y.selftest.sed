# How the kselftest's source differs on 6.12.y, whose selftest library
# names the pinning helper kvm_pin_this_task_to_pcpu(): applied by
# make-tree.sh (make sync) and checked by check-patches.sh.
s/pin_self_to_cpu(/kvm_pin_this_task_to_pcpu(/
