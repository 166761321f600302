//
// EventBus.h
//
// Notifications from plugins to clients. publish() only queues; one
// dispatcher thread serializes each notification once and hands the same
// frame to every authenticated session that wants the topic, after handing
// it to the plugins' listeners (on the same thread, in publish order).
//

#ifndef CAMSVC_CORE_EVENTBUS_H
#define CAMSVC_CORE_EVENTBUS_H

#include "camsvc/sdk/Host.h"
#include "metrics/CoreMetrics.h"
#include "net/WebSocketServer.h"
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

namespace camsvc::core {

class EventBus
{
public:
	EventBus(WebSocketServer& server, CoreMetrics& metrics, Poco::Logger& logger, std::size_t queueLimit = 10000);
	~EventBus();

	void declare(const std::string& owner, const std::string& name, const std::string& summary);
		/// Throws std::invalid_argument if another plugin declared it.
	void listen(const std::string& owner, sdk::NotificationListener listener);
		/// Calls listener with every notification delivered from now on.
	void removeOwner(const std::string& owner);
		/// Removes the owner's topics and listeners.
	bool declared(const std::string& name) const;
	bool subscribable(const std::string& topic) const;
		/// A declared notification or a dotted topic (Topics.h).
	Poco::JSON::Object::Ptr subscriptionStats() const;
		/// {total_subscriptions, active_clients, topic_counts{topic: clients}}
		/// over the authenticated connections; a connection that never
		/// subscribed counts for every declared notification (it gets them all).
	std::map<std::string, std::string> topics() const;
		/// name -> summary.

	void publish(const std::string& name, Poco::JSON::Object::Ptr params);
		/// Never blocks: queued, or dropped (and counted) when the queue is full.

	void start();
	void stop();
		/// Delivers what is queued, then joins the dispatcher.

private:
	struct FanOut;

	void run();
	void deliver(const std::string& name, const Poco::JSON::Object::Ptr& params, std::chrono::steady_clock::time_point publishedAt);
		/// To the sessions signed in before publishedAt that want it, and to the listeners.
	void notifyListeners(const std::string& name, const Poco::JSON::Object::Ptr& params);

	WebSocketServer& _server;
	CoreMetrics& _metrics;
	Poco::Logger& _logger;
	const std::size_t _queueLimit;

	mutable std::shared_mutex _topicsMutex;
	std::map<std::string, std::pair<std::string, std::string>> _topics; // name -> (owner, summary)
	std::vector<std::pair<std::string, sdk::NotificationListener>> _listeners; // (owner, listener), under _topicsMutex

	std::mutex _mutex;
	std::condition_variable _wake;
	struct Queued
	{
		std::string name;
		Poco::JSON::Object::Ptr params;
		std::chrono::steady_clock::time_point publishedAt;
	};
	std::deque<Queued> _queue;
	bool _stopping = false;
	std::shared_ptr<FanOut> _fanOut; // shared with the tasks on the I/O threads
	std::thread _thread;
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_EVENTBUS_H
