//
// WaitUntil.h
//
// Waiting on an event with a deadline instead of sleeping a fixed time: the
// condition is checked at once, then every few milliseconds until it holds
// or the deadline passes. A test that waits this way is as fast as the event
// and fails (rather than passing by luck) when the event never comes.
//

#ifndef CAMSVC_TEST_WAITUNTIL_H
#define CAMSVC_TEST_WAITUNTIL_H

#include <chrono>
#include <thread>

namespace camsvc::test {

template <class Predicate>
bool waitUntil(Predicate condition, int timeoutMs, int pollMs = 10)
	/// True as soon as condition() holds; false when it still does not hold
	/// after timeoutMs (checked once more at the deadline).
{
	auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
	while (std::chrono::steady_clock::now() < deadline)
	{
		if (condition())
			return true;
		std::this_thread::sleep_for(std::chrono::milliseconds(pollMs));
	}
	return condition();
}

} // namespace camsvc::test

#endif // CAMSVC_TEST_WAITUNTIL_H
