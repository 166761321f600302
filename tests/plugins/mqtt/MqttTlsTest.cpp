//
// MqttTlsTest.cpp
//
// mqtts:// with a client certificate: a Mosquitto TLS listener that
// requires one (certificates made by the openssl command for the test), and
// the service verifying the broker against mqtt.tls.ca_file.
//

#include "MqttServer.h"
#include <fstream>
#include <gtest/gtest.h>

using namespace camsvc::test;

namespace {

void openssl(const std::string& dir, std::vector<std::string> args)
{
	args.insert(args.begin(), "openssl");
	ChildProcess p(args, dir + "/openssl.log");
	ASSERT_EQ(p.stop(0, 60000), 0) << p.output();
}

void makeCertificate(const std::string& dir, const std::string& name, const std::string& subject)
	/// <name>.pem and <name>.key, signed by ca.pem, valid for localhost and 127.0.0.1.
{
	openssl(dir, {"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
		"-keyout", dir + "/" + name + ".key", "-out", dir + "/" + name + ".csr", "-subj", subject});
	std::ofstream(dir + "/san.ext") << "subjectAltName=DNS:localhost,IP:127.0.0.1\n";
	openssl(dir, {"x509", "-req", "-in", dir + "/" + name + ".csr", "-CA", dir + "/ca.pem", "-CAkey", dir + "/ca.key",
		"-CAcreateserial", "-days", "1", "-extfile", dir + "/san.ext", "-out", dir + "/" + name + ".pem"});
}

} // namespace

TEST(MqttTls, MqttsWithAClientCertificateConnectsToABrokerThatRequiresOne)
{
	std::string dir = makeTempDir("camsvc-mqtt-tls");
	openssl(dir, {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
		"-keyout", dir + "/ca.key", "-out", dir + "/ca.pem", "-days", "1", "-subj", "/CN=camsvc test CA"});
	makeCertificate(dir, "broker", "/CN=localhost");
	makeCertificate(dir, "client", "/CN=camera-service");

	int tlsPort = ServerProcess::freePort();
	MosquittoBroker broker("listener " + std::to_string(tlsPort) + " 127.0.0.1\n"
		"cafile " + dir + "/ca.pem\ncertfile " + dir + "/broker.pem\nkeyfile " + dir + "/broker.key\n"
		"require_certificate true\n");
	const std::string prefix = "camera-service/tls";
	MqttSubscriber sub(broker.port(), {prefix + "/availability"}); // on the plain listener
	ServerProcess server(mqttServerOptions(broker, prefix, {
		{"mqtt.url", "mqtts://localhost:" + std::to_string(tlsPort)},
		{"mqtt.tls.ca_file", dir + "/ca.pem"},
		{"mqtt.tls.certificate", dir + "/client.pem"},
		{"mqtt.tls.private_key", dir + "/client.key"},
		{"mqtt.protocol", "5"}}));
	EXPECT_TRUE(sub.waitForPayload(prefix + "/availability", "online")) << server.log() << broker.log();
	EXPECT_NE(server.log().find("connected to MQTT broker mqtts://localhost:" + std::to_string(tlsPort)), std::string::npos);
	removeTree(dir);
}
