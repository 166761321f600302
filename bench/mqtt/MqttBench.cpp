//
// MqttBench.cpp
//
// The mqtt plugin end to end: notifications published in the service at a
// paced rate (test.publish, each stamped with its send time) until a
// subscriber of <prefix>/events on a real Mosquitto has them: delivered,
// lost, latency p50/p99/max, and the CPU of the service (with the plugin and,
// as a baseline, without it) and of the broker. Then a fleet: several
// services on one broker, one subscriber on camera-service/+/camera/+/state.
//
//     mqtt_bench [seconds per rate = 5] [rates = 1000,5000] [fleet services = 4]
//

#include "MqttServer.h"
#include "support/ProcessProbe.h"
#include "support/RpcClient.h"
#include <Poco/JSON/Object.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <unistd.h>
#include <vector>

using namespace camsvc::test;
using Clock = std::chrono::steady_clock;

namespace {

ServerProcess::Options eventServer(const MosquittoBroker& broker, const std::string& prefix, bool withMqtt)
{
	ServerProcess::Options o;
	o.plugins = {"test_auth", "test_tools"};
	if (withMqtt)
		o.plugins.push_back("mqtt");
	o.defines = {{"logging.level", "warning"}, {"mqtt.url", broker.url()}, {"mqtt.topic_prefix", prefix},
		{"mqtt.queue_limit", "10000"}};
	return o;
}

void rate(int perSecond, int seconds, bool withMqtt)
{
	MosquittoBroker broker;
	const std::string prefix = "camera-service/bench";
	ServerProcess server(eventServer(broker, prefix, withMqtt));
	MqttSubscriber sub(broker.port(), {prefix + "/events"});
	RpcClient c(server.port());
	c.authenticateAs("operator");
	c.subscribe({"test_other"}); // this client does not want the flood
	const int count = perSecond * seconds;
	double cpu0 = cpuSeconds(server.pid());
	double brokerCpu0 = cpuSeconds(broker.pid());
	auto t0 = Clock::now();
	c.result("test.publish", RpcClient::params({{"count", count}, {"rate", perSecond}}), (seconds + 30) * 1000);
	auto isTest = [](const MqttMessage& m) { return m.payload.find("\"method\":\"test_event\"") != std::string::npos; };
	if (withMqtt)
		sub.waitForCount(isTest, static_cast<std::size_t>(count), 10000);
	double wall = std::chrono::duration<double>(Clock::now() - t0).count();
	double cpu = cpuSeconds(server.pid()) - cpu0;
	double brokerCpu = cpuSeconds(broker.pid()) - brokerCpu0;
	if (!withMqtt)
	{
		std::printf("%6d/s  without the mqtt plugin (baseline)          service CPU %5.1f%%\n", perSecond, 100 * cpu / wall);
		return;
	}
	std::vector<double> ms;
	std::set<int> seen;
	for (const auto& m: sub.messages())
	{
		if (!isTest(m))
			continue;
		Poco::JSON::Object::Ptr params = jsonObject(m.payload)->getObject("params");
		seen.insert(params->getValue<int>("n"));
		ms.push_back(static_cast<double>(m.receivedEpochMicros - params->getValue<std::int64_t>("sent_us")) / 1000.0);
	}
	std::sort(ms.begin(), ms.end());
	auto at = [&](double q) { return ms.empty() ? 0.0 : ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ms.size())))]; };
	std::printf("%6d/s  delivered %6zu/%-6d lost %4d  latency p50 %6.2f ms p99 %6.2f ms max %7.2f ms  service CPU %5.1f%%  broker CPU %5.1f%%\n",
		perSecond, seen.size(), count, count - static_cast<int>(seen.size()), at(0.5), at(0.99), ms.empty() ? 0.0 : ms.back(),
		100 * cpu / wall, 100 * brokerCpu / wall);
}

void fleet(int services)
{
	MosquittoBroker broker;
	MqttSubscriber sub(broker.port(), {"camera-service/+/camera/+/state"});
	auto t0 = Clock::now();
	std::vector<std::unique_ptr<ServerProcess>> fleet;
	for (int i = 0; i < services; ++i)
		fleet.push_back(std::make_unique<ServerProcess>(mqttServerOptions(broker, "camera-service/box" + std::to_string(i),
			{{"logging.level", "warning"}, {"mqtt.homeassistant.enabled", "false"}})));
	bool all = sub.waitForCount([](const MqttMessage&) { return true; }, static_cast<std::size_t>(services * 2), 20000);
	double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
	std::set<std::string> topics;
	for (const auto& m: sub.messages())
		topics.insert(m.topic);
	std::printf("fleet: %d services x 2 cameras on one broker: %zu camera states on camera-service/+/camera/+/state%s, "
		"%.2f s from the first start\n", services, topics.size(), all ? "" : " (INCOMPLETE)", seconds);
}

} // namespace

int main(int argc, char** argv)
{
	int seconds = argc > 1 ? std::atoi(argv[1]) : 5;
	std::vector<int> rates;
	std::stringstream list(argc > 2 ? argv[2] : "1000,5000");
	for (std::string r; std::getline(list, r, ',');)
		rates.push_back(std::atoi(r.c_str()));
	int services = argc > 3 ? std::atoi(argv[3]) : 4;
	::setenv("CAMSVC_BINARY", CAMSVC_DEFAULT_BINARY, 0);
	::setenv("CAMSVC_PLUGIN_DIR", CAMSVC_DEFAULT_PLUGIN_DIR, 0);
	for (int r: rates)
	{
		rate(r, seconds, false);
		rate(r, seconds, true);
	}
	fleet(services);
	return 0;
}
