#include "ChunkQueue.h"

namespace camsvc::console {

ChunkQueue::ChunkQueue(std::size_t limitBytes): _limit(limitBytes)
{
}

bool ChunkQueue::push(std::string_view chunk)
{
	{
		std::lock_guard lock(_mutex);
		if (_closed)
			return false;
		if (_stream)
		{
			if (!_stream->open())
			{
				_closed = true;
				_reason = "client_gone";
				_changed.notify_all();
				return false;
			}
			std::size_t unsent = _stream->queuedBytes();
			return (unsent == 0 || unsent + chunk.size() <= _limit) && _stream->write(chunk);
		}
		if (!_chunks.empty() && _bytes + chunk.size() > _limit)
			return false;
		_chunks.emplace_back(chunk);
		_bytes += chunk.size();
	}
	_changed.notify_one();
	return true;
}

bool ChunkQueue::pop(std::string& chunk, std::chrono::milliseconds timeout)
{
	std::unique_lock lock(_mutex);
	if (!_changed.wait_for(lock, timeout, [this] { return _closed || !_chunks.empty(); }) || _chunks.empty())
		return false;
	chunk = std::move(_chunks.front());
	_chunks.pop_front();
	_bytes -= chunk.size();
	return true;
}

void ChunkQueue::attach(std::shared_ptr<sdk::HttpStream> stream)
{
	std::lock_guard lock(_mutex);
	for (const auto& chunk: _chunks)
		stream->write(chunk);
	_chunks.clear();
	_bytes = 0;
	if (_closed)
		stream->close();
	_stream = std::move(stream);
}

void ChunkQueue::close(const std::string& reason)
{
	{
		std::lock_guard lock(_mutex);
		if (_closed)
			return;
		_closed = true;
		_reason = reason;
		if (_stream)
			_stream->close();
	}
	_changed.notify_all();
}

bool ChunkQueue::closed() const
{
	std::lock_guard lock(_mutex);
	return _closed;
}

std::string ChunkQueue::reason() const
{
	std::lock_guard lock(_mutex);
	return _reason;
}

std::size_t ChunkQueue::bytes() const
{
	std::lock_guard lock(_mutex);
	return _bytes;
}

} // namespace camsvc::console
