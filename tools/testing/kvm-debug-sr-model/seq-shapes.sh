# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables are for the tests that source it
# seq-shapes.sh: sed scripts that break the project's patched 6.12.y and
# 6.1.y nvhe/debug-sr.c in shapes whose fault shows only over more than
# one world switch or more than one CPU (test-model.sh, test-audit.sh):
#   stale       the saved TRBLIMITR is written only when the buffer is on,
#               so a value saved by an earlier switch is put back later
#   shared      the saved TRBLIMITR is one variable for every CPU
#   keyed612/61 the restore is decided by the saved value, not by this
#               CPU having the unit (6.12: with the value shared, as it
#               must be to outlive a migration; 6.1 keeps it in the vcpu)
#   readonce    the saved PMBLIMITR is read again only when the one saved
#               last was off: a value the host programmed since is lost
stale='s/^\t\*trblimitr_el1 = read_sysreg_s(SYS_TRBLIMITR_EL1);/\tif (read_sysreg_s(SYS_TRBLIMITR_EL1) \& 1)\n\t\t*trblimitr_el1 = read_sysreg_s(SYS_TRBLIMITR_EL1);/'
shared='/^static void __debug_save_spe/i\
static u64 shared_trblimitr;\

s/host_data_ptr(host_debug_state.trblimitr_el1)/(\&shared_trblimitr)/g
s/&vcpu->arch.host_debug_state.trblimitr_el1/\&shared_trblimitr/
s/vcpu->arch.host_debug_state.trblimitr_el1/shared_trblimitr/'
keyed612="$shared"'
/^void __debug_restore_host_buffers_nvhe/,/^}/s/if (.*[Tt][Rr][Bb][Ee].*)$/if (shared_trblimitr \& TRBLIMITR_EL1_E)/'
keyed61='/^void __debug_restore_host_buffers_nvhe/,/^}/s/if (vcpu_get_flag(vcpu, DEBUG_STATE_SAVE_TRBE))/if (vcpu->arch.host_debug_state.trblimitr_el1 \& TRBLIMITR_ENABLE)/'
readonce='s/^\t\*pmblimitr_el1 = read_sysreg_s(SYS_PMBLIMITR_EL1);/\tif (!(*pmblimitr_el1 \& 1))\n\t\t*pmblimitr_el1 = read_sysreg_s(SYS_PMBLIMITR_EL1);/'
