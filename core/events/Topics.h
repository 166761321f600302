//
// Topics.h
//
// What clients may subscribe to: every declared notification by its name
// (camera_status_update), and the dotted topics existing clients use
// (camera.connected, recording.stop, ...), each a filter over one
// notification: a client subscribed to camera.connected gets the
// camera_status_update notifications whose status is CONNECTED, unchanged.
//

#ifndef CAMSVC_CORE_TOPICS_H
#define CAMSVC_CORE_TOPICS_H

#include <Poco/JSON/Object.h>
#include <map>
#include <string>
#include <vector>

namespace camsvc::core {

struct TopicAlias
{
	const char* notification; // the notification it filters
	const char* field;        // the params field it looks at (null: every one of them)
	const char* value;        // the value that field must have
};

const std::map<std::string, TopicAlias>& topicAliases();
	/// Dotted topic -> filter.

std::vector<std::string> topicsOf(const std::string& notification, const Poco::JSON::Object::Ptr& params);
	/// The notification's own name and every dotted topic it matches.

} // namespace camsvc::core

#endif // CAMSVC_CORE_TOPICS_H
