#pragma once
// The window's pages besides a comparison: what was read from files, and the page shown while files
// load or two traces are compared, which owns that work and stops it when it goes.

#include <page.h>

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <memory>

namespace spanwise {

// A page's work on a worker thread: how far it got, the flag that stops it, and how it ended.
class JobControl {
public:
    enum class End { Running, Completed, Cancelled };

    std::atomic<std::uint64_t> done{0};
    std::atomic<std::uint64_t> total{0}; // 0 while unknown

    void cancel() { m_cancelled = true; }
    bool cancelled() const { return m_cancelled; }
    End end() const { return m_end; }
    void setEnd(End end) { m_end = end; }

private:
    std::atomic<bool> m_cancelled{false};
    std::atomic<End> m_end{End::Completed};
};

// A file (or one of its traces) read, or two files that could not be compared: what went wrong in a
// banner over the content (a trace, the list of a file's traces, a note; none for only the banner).
class FilePage : public Page {
    Q_OBJECT
public:
    FilePage(QStringList paths, const QString& errors, QWidget* content, QWidget* parent = nullptr);

    QStringList paths() const override { return m_paths; }
    TracePage* tracePage() const override;
    QWidget* content() const { return m_content; }

private:
    QStringList m_paths;
    QWidget* m_content;
};

// A label and a busy bar while the page's job runs; with progress to follow, the bar fills from the
// job's done and total, and a Cancel button asks for it to stop.
class LoadingPage : public Page {
    Q_OBJECT
public:
    LoadingPage(QStringList paths, const QString& label, bool followProgress, QWidget* parent = nullptr);
    ~LoadingPage() override; // the job is cancelled: nothing waits for it any more

    QStringList paths() const override { return m_paths; }
    void cancel() override { m_job->cancel(); }
    std::shared_ptr<const JobControl> job() const { return m_job; }
    // For work that runs on this thread (a download): the bar follows these until run() takes over.
    void setProgress(std::uint64_t done, std::uint64_t total)
    {
        m_job->done = done;
        m_job->total = total;
    }

    // Runs work(JobControl&) on a worker thread, then done(its result) on this one, unless the page
    // was cancelled or deleted first. One job at a time.
    template <class Work, class Done>
    void run(Work work, Done done)
    {
        using Result = decltype(work(std::declval<JobControl&>()));
        auto* watcher = new QFutureWatcher<Result>(this);
        connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, done] {
            watcher->deleteLater();
            if (!m_job->cancelled())
                done(watcher->result());
        });
        m_job->setEnd(JobControl::End::Running);
        watcher->setFuture(QtConcurrent::run([job = m_job, work] {
            Result result = work(*job);
            job->setEnd(job->cancelled() ? JobControl::End::Cancelled : JobControl::End::Completed);
            return result;
        }));
    }

signals:
    void cancelClicked();

private:
    QStringList m_paths;
    std::shared_ptr<JobControl> m_job = std::make_shared<JobControl>();
};

} // namespace spanwise
