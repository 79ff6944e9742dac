/* Slots of the attach tests' counters (shared by the BPF objects and the
 * tests). */
#ifndef ATTACH_SLOTS_H
#define ATTACH_SLOTS_H
enum {
	S_TP,
	S_RAW_TP,
	S_TP_BTF,
	S_UPROBE,
	S_URETPROBE,
	S_PERF,
	S_CG_SKB,
	S_CG_SOCK,
	S_SK_LOOKUP,
	S_XDP,
	S_UPROBE_MULTI,
	S_TCX,
	S_NETKIT,
	S_NETFILTER,
	S_SOCKMAP,
	S_SKEL_TP,
	S_SKEL_UPROBE,
	S_SKEL_RAW,
	S_CUSTOM,
	S_MAX = 24,
};
#endif
