#include "events/EventBus.h"
#include "events/Topics.h"
#include "net/Connection.h"
#include "net/WebSocketFrame.h"
#include "rpc/Json.h"
#include "camsvc/sdk/PeriodicTask.h"
#include <chrono>
#include <set>
#include <stdexcept>

namespace camsvc::core {

struct EventBus::FanOut
	/// Bounds the fan-out tasks waiting on the I/O threads, so a burst of
	/// events waits in the bus's own bounded queue (and is dropped there when
	/// it is full) instead of piling up, with a connection list each, behind
	/// busy loops.
{
	static constexpr long Limit = 32;

	std::mutex mutex;
	std::condition_variable done;
	long pending = 0;
};

EventBus::EventBus(WebSocketServer& server, CoreMetrics& metrics, Poco::Logger& logger, std::size_t queueLimit):
	_server(server), _metrics(metrics), _logger(logger), _queueLimit(queueLimit), _fanOut(std::make_shared<FanOut>())
{
}

EventBus::~EventBus()
{
	stop();
}

void EventBus::declare(const std::string& owner, const std::string& name, const std::string& summary)
{
	std::unique_lock lock(_topicsMutex);
	auto it = _topics.find(name);
	if (it != _topics.end() && it->second.first != owner)
		throw std::invalid_argument("notification " + name + " is already declared by " + it->second.first);
	_topics[name] = {owner, summary};
}

void EventBus::listen(const std::string& owner, sdk::NotificationListener listener)
{
	std::unique_lock lock(_topicsMutex);
	_listeners.emplace_back(owner, std::move(listener));
}

void EventBus::removeOwner(const std::string& owner)
{
	std::unique_lock lock(_topicsMutex);
	std::erase_if(_topics, [&owner](const auto& kv) { return kv.second.first == owner; });
	std::erase_if(_listeners, [&owner](const auto& l) { return l.first == owner; });
}

bool EventBus::declared(const std::string& name) const
{
	std::shared_lock lock(_topicsMutex);
	return _topics.count(name) > 0;
}

bool EventBus::subscribable(const std::string& topic) const
{
	return declared(topic) || topicAliases().count(topic) > 0;
}

Poco::JSON::Object::Ptr EventBus::subscriptionStats() const
{
	std::map<std::string, std::string> declaredTopics = topics();
	std::map<std::string, int> counts;
	int clients = 0, subscriptions = 0;
	Poco::Timestamp now;
	_server.forEachConnection([&](Connection& c) {
		Session& session = c.session();
		sdk::Identity identity;
		if (!session.authenticated(identity) || identity.expiresAt <= now)
			return; // gets nothing
		++clients;
		if (session.subscribedToAll())
		{
			for (const auto& [name, summary]: declaredTopics)
				++counts[name];
			subscriptions += static_cast<int>(declaredTopics.size());
			return;
		}
		std::set<std::string> own = session.topics();
		for (const auto& t: own)
			++counts[t];
		subscriptions += static_cast<int>(own.size());
	});
	Poco::JSON::Object::Ptr topicCounts = new Poco::JSON::Object;
	for (const auto& [topic, n]: counts)
		topicCounts->set(topic, n);
	Poco::JSON::Object::Ptr stats = new Poco::JSON::Object;
	stats->set("total_subscriptions", subscriptions);
	stats->set("active_clients", clients);
	stats->set("topic_counts", topicCounts);
	return stats;
}

std::map<std::string, std::string> EventBus::topics() const
{
	std::shared_lock lock(_topicsMutex);
	std::map<std::string, std::string> result;
	for (const auto& [name, v]: _topics)
		result[name] = v.second;
	return result;
}

void EventBus::publish(const std::string& name, Poco::JSON::Object::Ptr params)
{
	if (!declared(name))
	{
		_logger.error("notification %s was not declared; dropped", name);
		_metrics.notificationsDropped.inc();
		return;
	}
	{
		std::lock_guard lock(_mutex);
		if (_queue.size() >= _queueLimit || _stopping)
		{
			_metrics.notificationsDropped.inc();
			return;
		}
		_queue.push_back(Queued{name, std::move(params), std::chrono::steady_clock::now()});
	}
	_wake.notify_one();
}

void EventBus::start()
{
	_thread = std::thread([this] { run(); });
}

void EventBus::stop()
{
	sdk::stopThread(_thread, _mutex, _wake, _stopping);
}

void EventBus::run()
{
	std::unique_lock lock(_mutex);
	for (;;)
	{
		_wake.wait(lock, [this] { return _stopping || !_queue.empty(); });
		if (_queue.empty() && _stopping)
			return;
		Queued next = std::move(_queue.front());
		_queue.pop_front();
		lock.unlock();
		deliver(next.name, next.params, next.publishedAt);
		lock.lock();
	}
}

void EventBus::notifyListeners(const std::string& name, const Poco::JSON::Object::Ptr& params)
{
	std::shared_lock lock(_topicsMutex);
	for (const auto& [owner, listener]: _listeners)
	{
		try
		{
			listener(name, params);
		}
		catch (const std::exception& e)
		{
			_logger.error("notification listener of %s failed on %s: %s", owner, name, std::string(e.what()));
		}
		catch (...)
		{
			_logger.error("notification listener of %s failed on %s", owner, name);
		}
	}
}

void EventBus::deliver(const std::string& name, const Poco::JSON::Object::Ptr& params, std::chrono::steady_clock::time_point publishedAt)
{
	Poco::JSON::Object::Ptr shared = params ? params : Poco::JSON::Object::Ptr(new Poco::JSON::Object);
	notifyListeners(name, shared);
	std::string text = "{\"jsonrpc\":\"2.0\",\"method\":";
	appendJson(text, name);
	text += ",\"params\":";
	appendJson(text, Poco::Dynamic::Var(shared));
	text += '}';
	auto frame = std::make_shared<const std::string>(encodeFrame(Opcode::Text, text));
	auto topics = std::make_shared<const std::vector<std::string>>(topicsOf(name, params));
	Poco::Timestamp now;
	// Each I/O thread sends to its own connections: a loopback send costs
	// several microseconds, so one thread alone would take milliseconds for
	// a thousand clients. Captures outlive the bus: values and the core's
	// metrics (which outlive the transport).
	CoreMetrics& metrics = _metrics;
	std::shared_ptr<FanOut> fanOut = _fanOut;
	{
		// Bounded: at shutdown the loops may stop before they drain.
		std::unique_lock lock(fanOut->mutex);
		fanOut->done.wait_for(lock, std::chrono::seconds(2), [&] { return fanOut->pending < FanOut::Limit; });
	}
	std::size_t tasks = _server.forEachConnectionOnItsLoop(
		[frame, topics, now, publishedAt, &metrics](Connection& c) {
			Session& session = c.session();
			sdk::Identity identity;
			if (!session.signedInBefore(publishedAt, identity) || identity.expiresAt <= now || !session.wantsAnyTopic(*topics))
				return;
			if (c.sendFrame(frame))
				metrics.notificationsSent.inc();
			else
				metrics.notificationsDropped.inc();
		},
		[fanOut] {
			std::lock_guard lock(fanOut->mutex);
			--fanOut->pending;
			fanOut->done.notify_one();
		});
	std::lock_guard lock(fanOut->mutex);
	fanOut->pending += static_cast<long>(tasks);
}

} // namespace camsvc::core
