# SPDX-License-Identifier: GPL-2.0
#
# ferret over JTAG with OpenOCD: load the kernel ELF into a halted core and
# start it at its entry point. Sourced after the adapter and board configs
# (tools/tools.mk: `make flash`, `make openocd-check`).
#
#   ferret_flash <elf> <entry>   init, halt, load, verify, x0 = 0 (no DTB), resume
#   ferret_check <elf> <entry>   the same steps with no hardware attached: each
#                                step may fail for want of a target (ERROR_FAIL,
#                                -4), never for an unknown command or bad syntax
#
# The steps run on the current target (a board config names it, e.g.
# bcm2837.cpu0 in target/bcm2837.cfg).

# Run one OpenOCD command. In a check, a command that failed only because the
# target could not be examined passes; anything else stops the script.
proc ferret_step {check args} {
	set rc [catch {eval $args} msg]
	if {$rc == 0} {
		return
	}
	if {$check && $rc == -4} {
		echo "ferret: '$args': no target to run on (expected in a check)"
		return
	}
	error "ferret: '$args' failed (code $rc): $msg"
}

proc ferret_load {check elf entry} {
	if {![file readable $elf]} {
		error "ferret: cannot read $elf (build it first)"
	}
	set target [target current]
	echo "ferret: loading $elf into $target, entry $entry"
	ferret_step $check halt 1000
	ferret_step $check load_image $elf 0 elf
	ferret_step $check verify_image $elf 0 elf
	# x0 is the DTB address at entry: none on a JTAG load.
	ferret_step $check reg x0 0
	ferret_step $check resume $entry
	if {!$check} {
		echo "ferret: started at $entry"
	}
}

proc ferret_flash {elf entry} {
	init
	ferret_load 0 $elf $entry
}

proc ferret_check {elf entry} {
	# With interface/dummy.cfg the scan chain is empty: init reports JTAG
	# errors, which a check expects.
	if {[catch init msg]} {
		echo "ferret: init without hardware failed as expected"
	}
	ferret_load 1 $elf $entry
	echo "ferret: openocd script check passed"
}
