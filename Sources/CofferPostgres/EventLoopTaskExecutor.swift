import NIOCore

/// Runs tasks that prefer it (`Task(executorPreference:)`) on one NIO event loop: the loop the store's connections read
/// and write on. A write batch is a handful of round trips one after another while it holds the audit head; on the
/// connections' own loop, a reply and the code waiting for it run on one thread, in turn, instead of every reply
/// waking a task on the shared concurrency pool behind the requests being parsed and answered there.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
