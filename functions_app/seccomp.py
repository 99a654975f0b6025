"""The seccomp filter every sandboxed function runs under (compiled once, handed to bwrap).

The namespaces already hide the host; this filter takes away the kernel surface a process
needs only to escape or to hurt the machine: new processes (a fork bomb, `os.system`,
`subprocess`), sockets other than Unix ones, tracing other processes, namespaces and
mounts, kernel keyrings, eBPF, perf, io_uring, userfaultfd, module loading, clocks.
Threads stay allowed (`clone` with CLONE_THREAD): the standard library uses them.
"""

from __future__ import annotations

import errno
import functools
import socket
import tempfile

CLONE_THREAD = 0x00010000

DENIED = (
    "fork", "vfork", "execveat", "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_open",
    "pidfd_getfd", "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "move_mount",
    "open_tree", "fsopen", "fsmount", "fspick", "keyctl", "add_key", "request_key", "bpf",
    "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot",
    "swapon", "swapoff", "open_by_handle_at", "name_to_handle_at", "acct", "quotactl", "syslog",
    "clock_settime", "settimeofday", "adjtimex", "clock_adjtime", "ioperm", "iopl", "vhangup",
    "personality", "fanotify_init", "lookup_dcookie", "mbind", "migrate_pages", "move_pages",
    "set_mempolicy", "setpriority", "sched_setattr", "sched_setscheduler",
)  # fmt: skip


class SeccompUnavailable(RuntimeError):
    pass


@functools.cache
def filter_bytes() -> bytes:
    """The compiled BPF program (bwrap --seccomp reads it from a file descriptor)."""
    try:
        import pyseccomp as sc
    except (ImportError, OSError) as error:  # OSError: libseccomp.so.2 missing
        raise SeccompUnavailable(f"libseccomp is not available: {error}") from None
    refuse = sc.ERRNO(errno.EPERM)
    flt = sc.SyscallFilter(defaction=sc.ALLOW)
    for name in DENIED:
        try:
            flt.add_rule(refuse, name)
        except (RuntimeError, ValueError, OSError):
            continue  # a syscall this architecture does not have
    # A new process: clone without CLONE_THREAD; clone3 hides its flags in memory, so it
    # answers ENOSYS and the C library falls back to clone (as Docker's profile does).
    flt.add_rule(refuse, "clone", sc.Arg(0, sc.MASKED_EQ, CLONE_THREAD, 0))
    flt.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")
    # Sockets: Unix ones only (inside an empty network namespace anyway).
    flt.add_rule(sc.ERRNO(errno.EACCES), "socket", sc.Arg(0, sc.NE, socket.AF_UNIX))
    flt.add_rule(sc.ERRNO(errno.EACCES), "socketpair", sc.Arg(0, sc.NE, socket.AF_UNIX))
    # execve stays allowed (bwrap itself execs the interpreter after loading the filter), but
    # with fork refused there is no second process to exec into.
    with tempfile.TemporaryFile() as handle:
        flt.export_bpf(handle)
        handle.seek(0)
        return handle.read()
