#include "Topics.h"

namespace camsvc::mqtt {

Topics::Topics(std::string prefix, std::string discoveryPrefix, std::string nodeId):
	_prefix(std::move(prefix)), _discoveryPrefix(std::move(discoveryPrefix)), _nodeId(std::move(nodeId))
{
}

bool Topics::parseCamera(const std::string& topic, std::string& name, std::string& leaf) const
{
	const std::string head = _prefix + "/camera/";
	if (topic.compare(0, head.size(), head) != 0)
		return false;
	std::size_t slash = topic.find('/', head.size());
	if (slash == std::string::npos || slash == head.size() || slash + 1 == topic.size())
		return false;
	name = topic.substr(head.size(), slash - head.size());
	leaf = topic.substr(slash + 1);
	return true;
}

} // namespace camsvc::mqtt
