#include "rpc/Session.h"
#include <Poco/UUIDGenerator.h>

namespace camsvc::core {

Session::Session(std::uint64_t connectionId, std::string remoteAddress):
	_id(Poco::UUIDGenerator::defaultGenerator().createRandom().toString()),
	_connectionId(connectionId),
	_remoteAddress(std::move(remoteAddress))
{
}

void Session::bind(const sdk::Identity& identity)
{
	std::lock_guard lock(_mutex);
	if (!_authenticated.load(std::memory_order_relaxed))
		_signedInAt = std::chrono::steady_clock::now(); // a new token on a signed-in session keeps its news
	_identity = identity;
	_endReason.clear();
	_authenticated.store(true, std::memory_order_release);
}

bool Session::endIf(const std::string& method, const std::string& userId, const std::string& reason)
{
	std::lock_guard lock(_mutex);
	if (!_authenticated.load(std::memory_order_relaxed) || _identity.method != method || _identity.userId != userId)
		return false;
	_identity = sdk::Identity();
	_endReason = reason;
	_authenticated.store(false, std::memory_order_release);
	return true;
}

std::string Session::endReason() const
{
	std::lock_guard lock(_mutex);
	return _endReason;
}

void Session::unbind()
{
	std::lock_guard lock(_mutex);
	_identity = sdk::Identity();
	_authenticated.store(false, std::memory_order_release);
}

bool Session::authenticated(sdk::Identity& identity) const
{
	return signedInBefore(std::chrono::steady_clock::time_point::max(), identity);
}

bool Session::signedInBefore(std::chrono::steady_clock::time_point t, sdk::Identity& identity) const
{
	if (!isAuthenticated())
		return false;
	std::lock_guard lock(_mutex);
	identity = _identity;
	return _authenticated.load(std::memory_order_relaxed) && _signedInAt < t;
}

bool Session::wantsTopic(const std::string& topic) const
{
	std::lock_guard lock(_mutex);
	return !_filtered || _topics.count(topic) > 0;
}

std::string Session::clientAddress() const
{
	std::lock_guard lock(_mutex);
	return _clientAddress.empty() ? _remoteAddress : _clientAddress;
}

void Session::setClientAddress(std::string address)
{
	std::lock_guard lock(_mutex);
	_clientAddress = std::move(address);
}

bool Session::wantsAnyTopic(const std::vector<std::string>& topics) const
{
	std::lock_guard lock(_mutex);
	if (!_filtered)
		return true;
	for (const auto& t: topics)
		if (_topics.count(t))
			return true;
	return false;
}

bool Session::subscribedToAll() const
{
	std::lock_guard lock(_mutex);
	return !_filtered;
}

void Session::subscribe(const std::set<std::string>& topics)
{
	std::lock_guard lock(_mutex);
	if (!_filtered)
	{
		_filtered = true;
		_topics.clear();
	}
	_topics.insert(topics.begin(), topics.end());
}

void Session::unsubscribe(const std::set<std::string>& topics)
{
	std::lock_guard lock(_mutex);
	_filtered = true;
	if (topics.empty())
	{
		_topics.clear(); // from everything: no notifications until it subscribes again
		return;
	}
	for (const auto& t: topics)
		_topics.erase(t);
}

std::set<std::string> Session::topics() const
{
	std::lock_guard lock(_mutex);
	return _topics;
}

} // namespace camsvc::core
