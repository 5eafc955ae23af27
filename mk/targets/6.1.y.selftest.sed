# How the kselftest's source differs on 6.1.y, whose selftest library
# takes the GIC's guest physical addresses from the caller and leaves the
# ucall MMIO page to each test (without ucall_init() every GUEST_SYNC
# faults): applied by make-tree.sh (make sync) and checked by
# check-patches.sh.
/^#define MMIO_GPA/a\
/* 6.1's GIC helpers take the addresses; these are the other tests' own. */\
#define GICD_BASE_GPA		0x8000000ULL\
#define GICR_BASE_GPA		0x80A0000ULL
s/gic_init(GIC_V3, 1);/gic_init(GIC_V3, 1, (void *)GICD_BASE_GPA, (void *)GICR_BASE_GPA);/
s/vgic_v3_setup(vm, 1, 64);/vgic_v3_setup(vm, 1, 64, GICD_BASE_GPA, GICR_BASE_GPA);/
/vm_create_with_one_vcpu(&vcpu, guest_code);/a\
\tucall_init(vm, NULL);
