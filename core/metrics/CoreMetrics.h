//
// CoreMetrics.h
//
// The core's own counters. Relaxed atomics only: nothing here takes a lock
// on the request path.
//

#ifndef CAMSVC_CORE_COREMETRICS_H
#define CAMSVC_CORE_COREMETRICS_H

#include "camsvc/sdk/Metrics.h"

namespace camsvc::core {

struct CoreMetrics
{
	sdk::Gauge connectionsCurrent;       // WebSocket connections
	sdk::Counter connectionsTotal;       // WebSocket connections ever upgraded
	sdk::Counter connectionsClosedSlow;   // send queue overflow
	sdk::Counter connectionsClosedIdle;
	sdk::Counter requestsTotal;           // every call (requests and notifications)
	sdk::Counter requestErrors;           // calls answered with an error
	sdk::Counter requestLatencyMicros;    // sum over requestsTotal
	sdk::Counter notificationsSent;       // per delivered session
	sdk::Counter notificationsDropped;
	sdk::Counter bytesIn;
	sdk::Counter bytesOut;
	sdk::Counter unknownMethodCalls;      // -32601
	sdk::Counter invalidMessages;         // -32700 and -32600
	sdk::Counter connectionsRefused;      // over server.max_connections or the per-address limit
	sdk::Counter tlsHandshakeFailures;
	sdk::Counter httpRequests;            // complete HTTP requests read
	sdk::Counter httpRejected;            // malformed, too large or too slow requests answered 4xx/5xx by the reader
	sdk::Counter webSocketUpgrades;
	sdk::Counter callsRejectedBusy;       // -32002 busy: a connection's queue was full
};

} // namespace camsvc::core

#endif // CAMSVC_CORE_COREMETRICS_H
