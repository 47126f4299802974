// os.Exit: end the program at once with a status, skipping deferred calls.
//
// System.exit(n) in a program is Go's os.Exit(n): the run ends with status n at once, no other
// goroutine runs on, and deferred calls (finally blocks) do not run, which is why Go programs
// call os.Exit only from main, after cleaning up. It ends only the run, never gort itself:
// gort rewrites the call when it loads the program's classes.
// Look at: `echo $?` (3), "exit status 3" on stderr, and the finally block that never prints.
// Exit status: 3
//
//   ./gort run programs/exit-status.java; echo $?
class ExitStatus {
    public static void main(String[] args) {
        try {
            System.out.println("config file missing");
            System.exit(3);
        } finally {
            System.out.println("never printed: os.Exit runs no deferred calls");
        }
    }
}
// Output:
// config file missing
