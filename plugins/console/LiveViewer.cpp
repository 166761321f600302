#include "LiveViewer.h"

namespace camsvc::console {

LiveViewer::LiveViewer(std::size_t queueLimitBytes):
	_queue(queueLimitBytes), _muxer([this](std::string_view chunk, bool keyframe) { return push(chunk, keyframe); })
{
}

bool LiveViewer::push(std::string_view chunk, bool keyframe)
{
	if (_skipping && !keyframe)
		return false;
	_skipping = !_queue.push(chunk);
	return !_skipping;
}

void LiveViewer::onStreamStart(const sdk::StreamInfo& info)
{
	if (_announced)
	{
		// The pipeline restarted: its timeline (and maybe its size) is new.
		_queue.close("camera_restarted");
		return;
	}
	_announced = true;
	_info = info;
}

void LiveViewer::onPacket(const AVPacket& packet)
{
	if (_queue.closed())
		return;
	try
	{
		if (!_muxer.started())
		{
			if (!(packet.flags & AV_PKT_FLAG_KEY))
				return;
			// The init segment goes out with the first keyframe: a stream that
			// starts is playable at once.
			{
				std::lock_guard lock(_mutex);
				_mimeType = LiveMp4Muxer::mimeType(_info);
			}
			_muxer.begin(_info);
		}
		if (!_muxer.write(packet))
			++_dropped;
	}
	catch (const std::exception& e)
	{
		_queue.close(std::string("mux_failed: ") + e.what());
	}
}

void LiveViewer::onStreamEnd(sdk::StreamEnd reason, const std::string&)
{
	_queue.close(std::string("camera_") + sdk::streamEndName(reason));
}

std::string LiveViewer::mimeType() const
{
	std::lock_guard lock(_mutex);
	return _mimeType;
}

} // namespace camsvc::console
