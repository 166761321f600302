//
// ChunkQueue.h
//
// A bounded queue of byte chunks between one producer (a camera's pipeline
// thread) and one consumer: a reader that pop()s them, or — once attached —
// the HTTP stream of the viewer's connection, which the chunks are written
// straight into (the core's reactor sends them; no thread waits per viewer).
// push() never blocks: a chunk that would take the queue (or the stream's
// unsent bytes) over its byte limit is refused, so a slow reader costs at
// most the limit. close() ends the stream with a reason; a reader drains
// what was queued first.
//

#ifndef CAMSVC_CONSOLE_CHUNKQUEUE_H
#define CAMSVC_CONSOLE_CHUNKQUEUE_H

#include "camsvc/sdk/Http.h"
#include <chrono>
#include <memory>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>

namespace camsvc::console {

class ChunkQueue
{
public:
	explicit ChunkQueue(std::size_t limitBytes);

	bool push(std::string_view chunk);
		/// Queues a copy; false (nothing queued) if closed or over the limit.
		/// A chunk larger than the limit is taken when the queue is empty, so
		/// one big keyframe never stalls a stream for good.
	bool pop(std::string& chunk, std::chrono::milliseconds timeout);
		/// The oldest chunk; false on timeout, or when closed and drained.
	void attach(std::shared_ptr<sdk::HttpStream> stream);
		/// From now on chunks go to the stream (those queued first); a
		/// stream the client has left closes the queue ("client_gone").
	void close(const std::string& reason);
		/// Idempotent; the first reason stays.
	bool closed() const;
	std::string reason() const;
	std::size_t bytes() const;

private:
	const std::size_t _limit;
	mutable std::mutex _mutex;
	std::condition_variable _changed;
	std::deque<std::string> _chunks;
	std::size_t _bytes = 0;
	bool _closed = false;
	std::string _reason;
	std::shared_ptr<sdk::HttpStream> _stream;
};

} // namespace camsvc::console

#endif // CAMSVC_CONSOLE_CHUNKQUEUE_H
