#include "Recorder.h"
#include <system_error>

namespace camsvc::recording {

namespace {

EndReason endReasonOf(sdk::StreamEnd end)
{
	switch (end)
	{
	case sdk::StreamEnd::SourceLost: return EndReason::CameraLost;
	case sdk::StreamEnd::Error:      return EndReason::CameraError;
	default:                         return EndReason::CameraStopped;
	}
}

} // namespace

Recorder::Recorder(RecorderOptions options, EndCallback onEnd):
	_options(std::move(options)),
	_onEnd(std::move(onEnd)),
	_muxer(_options.path, _options.format, _options.fragmentMs)
{
	_thread = std::thread([this] { run(); });
}

Recorder::~Recorder()
{
	stop(EndReason::Shutdown);
}

void Recorder::release(Item& item)
{
	av_packet_free(&item.packet);
}

void Recorder::push(Item item)
{
	{
		std::lock_guard lock(_mutex);
		if (!_closed && !_stopRequest)
		{
			_queue.push_back(std::move(item));
			_changed.notify_one();
			return;
		}
	}
	release(item);
}

void Recorder::onStreamStart(const sdk::StreamInfo& info)
{
	{
		std::lock_guard lock(_mutex);
		_dropUntilKeyframe = false; // the next packet is a keyframe
	}
	push(Item{Item::Start, nullptr, info});
}

void Recorder::onPacket(const AVPacket& packet)
{
	// Never block the pipeline: drop when the writer is this far behind, and
	// then up to the next keyframe, so the file never holds undecodable frames.
	bool key = packet.flags & AV_PKT_FLAG_KEY;
	{
		std::lock_guard lock(_mutex);
		if (_closed || _stopRequest)
			return;
		if (_dropUntilKeyframe && !key)
		{
			++_dropped;
			return;
		}
		if (_queuedBytes + static_cast<std::size_t>(packet.size) > _options.queueBytes)
		{
			_dropUntilKeyframe = true;
			++_dropped;
			return;
		}
		_dropUntilKeyframe = false;
		_queuedBytes += static_cast<std::size_t>(packet.size);
	}
	AVPacket* ref = av_packet_clone(&packet); // a reference to the same buffer, no copy
	if (!ref)
		return;
	push(Item{Item::Packet, ref});
}

void Recorder::onStreamEnd(sdk::StreamEnd reason, const std::string& detail)
{
	push(Item{Item::End, nullptr, {}, reason, detail});
}

std::optional<RecorderResult> Recorder::process(Item& item)
{
	RecorderResult end;
	try
	{
		switch (item.kind)
		{
		case Item::Start:
			_muxer.begin(item.info);
			return std::nullopt;
		case Item::End:
			end.reason = endReasonOf(item.end);
			end.detail = item.detail;
			return end;
		case Item::Packet:
			_muxer.write(*item.packet);
			_seconds = _muxer.durationSeconds();
			if (_options.maxSeconds > 0 && _muxer.durationSeconds() >= _options.maxSeconds - 1e-6)
			{
				end.reason = EndReason::DurationReached;
				return end;
			}
			return std::nullopt;
		}
	}
	catch (const MuxError& e)
	{
		end.reason = e.storageFull() ? EndReason::StorageFull : EndReason::WriteError;
		end.detail = e.what();
		return end;
	}
	catch (const StreamChanged& e)
	{
		end.reason = EndReason::StreamChanged;
		end.detail = e.what();
		return end;
	}
	catch (const std::exception& e)
	{
		end.reason = EndReason::WriteError;
		end.detail = e.what();
		return end;
	}
	return std::nullopt;
}

void Recorder::run()
{
	using Clock = std::chrono::steady_clock;
	const auto started = Clock::now();
	const auto deadline = _options.maxSeconds > 0
		? started + std::chrono::milliseconds(static_cast<long long>(_options.maxSeconds * 1000)) + _options.stallGrace
		: Clock::time_point::max();
	auto nextSync = _options.syncInterval.count() > 0 ? started + _options.syncInterval : Clock::time_point::max();

	std::optional<RecorderResult> outcome;
	while (!outcome)
	{
		std::optional<Item> item;
		{
			std::unique_lock lock(_mutex);
			_changed.wait_until(lock, std::min(deadline, nextSync), [&] {
				return !_queue.empty() || _stopRequest || Clock::now() >= deadline || Clock::now() >= nextSync;
			});
			if (!_queue.empty())
			{
				item = std::move(_queue.front());
				_queue.pop_front();
				if (item->packet)
					_queuedBytes -= static_cast<std::size_t>(item->packet->size);
			}
			else if (_stopRequest)
			{
				outcome = RecorderResult{*_stopRequest};
			}
			else if (Clock::now() >= deadline)
			{
				outcome = RecorderResult{EndReason::DurationReached, "no packets from the camera"};
			}
		}
		if (Clock::now() >= nextSync)
		{
			_muxer.sync();
			nextSync = Clock::now() + _options.syncInterval;
		}
		if (item)
		{
			outcome = process(*item);
			release(*item);
		}
	}

	// Finalize before anyone hears about the end: the file is complete when reported.
	try
	{
		_muxer.finish();
	}
	catch (const MuxError& e)
	{
		if (!isError(outcome->reason))
		{
			outcome->reason = e.storageFull() ? EndReason::StorageFull : EndReason::WriteError;
			outcome->detail = e.what();
		}
	}
	bool requested = false;
	outcome->fileCreated = _muxer.started();
	outcome->bytes = _muxer.bytes();
	outcome->seconds = _muxer.durationSeconds();
	outcome->packets = _muxer.packets();
	{
		std::lock_guard lock(_mutex);
		_closed = true;
		outcome->dropped = _dropped;
		for (auto& rest: _queue)
			release(rest);
		_queue.clear();
		_queuedBytes = 0;
		_result = *outcome;
		requested = _stopRequest.has_value();
	}
	if (!requested && _onEnd)
		_onEnd(outcome->reason, outcome->detail);
}

RecorderResult Recorder::stop(EndReason reason)
{
	{
		std::lock_guard lock(_mutex);
		if (!_stopRequest)
			_stopRequest = reason;
		_changed.notify_all();
	}
	if (_thread.joinable())
		_thread.join();
	std::lock_guard lock(_mutex);
	return _result;
}

} // namespace camsvc::recording
