#include "set_loader.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <new>
#include <set>
#include <system_error>
#include <thread>

namespace spanwise {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kAnnotationSuffix = ".spanwise.json"; // ui/annotation_store.cpp's sidecars

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

unsigned char folded(char c)
{
    return static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

// As a file manager lists names: ASCII case aside, and runs of digits by their value, so "trace-9"
// comes before "trace-10".
bool naturalLess(std::string_view a, std::string_view b)
{
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < a.size() && j < b.size()) {
        if (isDigit(a[i]) && isDigit(b[j])) {
            const std::size_t startA = i;
            const std::size_t startB = j;
            while (i < a.size() && isDigit(a[i]))
                ++i;
            while (j < b.size() && isDigit(b[j]))
                ++j;
            std::string_view numberA = a.substr(startA, i - startA);
            std::string_view numberB = b.substr(startB, j - startB);
            numberA.remove_prefix(std::min(numberA.find_first_not_of('0'), numberA.size()));
            numberB.remove_prefix(std::min(numberB.find_first_not_of('0'), numberB.size()));
            if (numberA.size() != numberB.size())
                return numberA.size() < numberB.size();
            if (numberA != numberB)
                return numberA < numberB;
            continue;
        }
        if (folded(a[i]) != folded(b[j]))
            return folded(a[i]) < folded(b[j]);
        ++i;
        ++j;
    }
    if (a.size() - i != b.size() - j)
        return a.size() - i < b.size() - j;
    return a < b; // equal but for case or leading zeros: any fixed order
}

bool leftOutOfFolder(const std::string& name)
{
    return name.starts_with('.') || name.ends_with(kAnnotationSuffix);
}

class Expander {
public:
    std::vector<SetEntry> entries;

    void addNamed(const std::string& path)
    {
        std::error_code ec;
        const fs::file_status status = fs::status(path, ec);
        if (ec || !fs::exists(status)) {
            entries.push_back({.path = path, .error = path + ": no such file or folder"});
            return;
        }
        if (fs::is_directory(status))
            addFolder(path);
        else
            addFile(path, false);
    }

private:
    std::set<std::string> m_seen; // canonical paths of the files added

    void addFile(const fs::path& path, bool inFolder)
    {
        std::error_code ec;
        const fs::path canonical = fs::weakly_canonical(path, ec);
        if (!m_seen.insert(ec ? path.string() : canonical.string()).second)
            return;
        const std::uintmax_t size = fs::file_size(path, ec);
        entries.push_back({.path = path.string(), .size = ec ? 0 : size, .inFolder = inFolder});
    }

    void addFolder(const fs::path& folder)
    {
        std::error_code ec;
        std::vector<fs::directory_entry> children;
        for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
            if (!leftOutOfFolder(it->path().filename().string()))
                children.push_back(*it);
        }
        if (ec) {
            entries.push_back(
                {.path = folder.string(), .error = folder.string() + ": cannot read the folder: " + ec.message()});
            return;
        }
        std::sort(children.begin(), children.end(), [](const fs::directory_entry& a, const fs::directory_entry& b) {
            return naturalLess(a.path().filename().string(), b.path().filename().string());
        });
        for (const fs::directory_entry& child : children) {
            std::error_code childError;
            // A link to a folder is not followed: it could lead back up the tree.
            if (child.is_directory(childError) && !child.is_symlink(childError))
                addFolder(child.path());
            else if (child.is_regular_file(childError))
                addFile(child.path(), true);
        }
    }
};

std::string withoutLastNewline(std::string text)
{
    if (text.ends_with('\n'))
        text.pop_back();
    return text;
}

TraceSetFile toSetFile(const SetEntry& entry, LoadResult&& result)
{
    std::string error = withoutLastNewline(result.errorText());
    return {.path = entry.path,
            .format = std::move(result.format),
            .dataset = std::make_shared<const Dataset>(std::move(result.dataset)),
            .error = std::move(error),
            .skipped = entry.inFolder && result.notTrace};
}

// The progress of the whole set from the progress of each file: every file's share is its size on
// disk, reached in proportion to how far its (possibly decompressed) content was read.
class SetProgress {
public:
    SetProgress(const std::vector<SetEntry>& entries, const LoadOptions& options) : m_callback(options.progress)
    {
        for (const SetEntry& entry : entries)
            m_total += entry.size;
    }

    bool cancelled() const { return m_cancelled; }

    // The progress callback for loading one file; finish(its size) once it is loaded.
    class File {
    public:
        File(SetProgress& set, std::uint64_t size) : m_set(set), m_size(size) {}

        bool advance(std::uint64_t done, std::uint64_t total)
        {
            const auto reached = total ? static_cast<std::uint64_t>(static_cast<long double>(m_size) *
                                                                    std::min(done, total) / total)
                                       : 0;
            return step(std::max(reached, m_reported));
        }
        void finish() { step(m_size); }

    private:
        bool step(std::uint64_t reached)
        {
            m_set.add(reached - m_reported);
            m_reported = reached;
            return !m_set.cancelled();
        }
        SetProgress& m_set;
        std::uint64_t m_size;
        std::uint64_t m_reported = 0;
    };

private:
    void add(std::uint64_t bytes)
    {
        m_done += bytes;
        if (!m_callback)
            return;
        const std::lock_guard lock(m_callbackMutex);
        if (m_cancelled)
            return;
        // Read under the lock: a later call never reports less than an earlier one.
        if (!m_callback(std::min(m_done.load(), m_total), m_total))
            m_cancelled = true;
    }

    const std::function<bool(std::uint64_t, std::uint64_t)>& m_callback;
    std::uint64_t m_total = 0;
    std::atomic<std::uint64_t> m_done{0};
    std::atomic<bool> m_cancelled{false};
    std::mutex m_callbackMutex;
};

LoadResult loadEntry(const SetEntry& entry, SetProgress& progress, const LoadOptions& options)
{
    SetProgress::File fileProgress(progress, entry.size);
    LoadOptions fileOptions = options;
    if (options.progress)
        fileOptions.progress = [&](std::uint64_t done, std::uint64_t total) {
            return fileProgress.advance(done, total);
        };
    LoadResult result;
    try {
        result = loadFile(entry.path, fileOptions);
    } catch (const std::bad_alloc&) {
        result = LoadResult();
        result.path = entry.path;
        result.report.error(0, "out of memory");
    } catch (const std::exception& e) { // on a helper thread, anything escaping would end the program
        result = LoadResult();
        result.path = entry.path;
        result.report.error(0, e.what());
    }
    fileProgress.finish();
    return result;
}

} // namespace

std::vector<SetEntry> expandPaths(const std::vector<std::string>& paths)
{
    Expander expander;
    for (const std::string& path : paths)
        expander.addNamed(path);
    return std::move(expander.entries);
}

TraceSet loadSetEntries(const std::vector<SetEntry>& entries, const SetLoadOptions& options)
{
    SetProgress progress(entries, options.load);
    std::vector<TraceSetFile> files(entries.size());
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t threadCount = std::min<std::size_t>(options.threads ? options.threads : cores, entries.size());
    // Files loaded side by side share the cores the build of one file would use.
    LoadOptions fileOptions = options.load;
    fileOptions.build.threads = std::max<unsigned>(1,
                                                   fileOptions.build.threads / std::max<std::size_t>(threadCount, 1));
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i = next++; i < entries.size() && !progress.cancelled(); i = next++) {
            const SetEntry& entry = entries[i];
            if (!entry.error.empty()) {
                files[i] = {.path = entry.path, .dataset = {}, .error = entry.error};
                continue;
            }
            files[i] = toSetFile(entry, loadEntry(entry, progress, fileOptions));
        }
    };
    std::vector<std::jthread> helpers;
    try {
        for (std::size_t t = 1; t < threadCount; ++t)
            helpers.emplace_back(work);
    } catch (const std::system_error&) { // no more threads here: those started and this one do the work
    }
    work();
    helpers.clear(); // joins them

    TraceSet set;
    if (progress.cancelled())
        return set;
    for (TraceSetFile& file : files)
        set.add(std::move(file));
    return set;
}

TraceSet loadTraceSet(const std::vector<std::string>& paths, const SetLoadOptions& options)
{
    return loadSetEntries(expandPaths(paths), options);
}

} // namespace spanwise
