#include "LazyFfmpeg.h"
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <mutex>

namespace camsvc {
namespace lazyffmpeg {
namespace {

constexpr int MaxLibraries = 8;
void* handles[MaxLibraries];

[[noreturn]] void fail(const char* what, const char* name, const char* detail)
{
	std::fprintf(stderr, "camera-service: cannot %s %s: %s\n", what, name, detail ? detail : "unknown error");
	std::abort();
}

void load()
{
	for (int i = 0; libraries[i]; ++i)
	{
		// RTLD_NODELETE: the addresses stored in the slots stay valid until exit.
		handles[i] = ::dlopen(libraries[i], RTLD_NOW | RTLD_GLOBAL | RTLD_NODELETE);
		if (!handles[i])
			fail("load", libraries[i], ::dlerror());
	}
}

} // namespace
} } // namespace camsvc::lazyffmpeg

namespace {

std::once_flag loaded;

} // namespace

extern "C" void camsvc_lazy_ffmpeg_preload()
{
	std::call_once(loaded, camsvc::lazyffmpeg::load);
}

extern "C" void* camsvc_lazy_ffmpeg_resolve(unsigned index)
{
	using namespace camsvc::lazyffmpeg;
	std::call_once(loaded, load);
	const Function& f = functions[index];
	void* address = ::dlsym(handles[f.library], f.name);
	if (!address)
		fail("find", f.name, ::dlerror());
	// Racing binders of one function store the same address.
	__atomic_store_n(&camsvc_lazy_ffmpeg_slots[index], address, __ATOMIC_RELEASE);
	return address;
}

// The shared binder. Entered by a jump from a function's binder with its
// index in r11 and the stack as the caller left it (rsp = 8 mod 16): saves
// every argument register (rax: vector count of variadic calls such as
// av_log; xmm0-7), resolves, restores, and jumps to the function as if it
// had been called directly.
__asm__(R"(
	.text
	.p2align 4
	.globl camsvc_lazy_ffmpeg_bind
	.hidden camsvc_lazy_ffmpeg_bind
	.type camsvc_lazy_ffmpeg_bind, @function
camsvc_lazy_ffmpeg_bind:
	pushq %rbp
	movq %rsp, %rbp
	pushq %rax
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %rcx
	pushq %r8
	pushq %r9
	pushq %r10
	subq $128, %rsp
	movdqu %xmm0, 0(%rsp)
	movdqu %xmm1, 16(%rsp)
	movdqu %xmm2, 32(%rsp)
	movdqu %xmm3, 48(%rsp)
	movdqu %xmm4, 64(%rsp)
	movdqu %xmm5, 80(%rsp)
	movdqu %xmm6, 96(%rsp)
	movdqu %xmm7, 112(%rsp)
	movl %r11d, %edi
	call camsvc_lazy_ffmpeg_resolve
	movq %rax, %r11
	movdqu 0(%rsp), %xmm0
	movdqu 16(%rsp), %xmm1
	movdqu 32(%rsp), %xmm2
	movdqu 48(%rsp), %xmm3
	movdqu 64(%rsp), %xmm4
	movdqu 80(%rsp), %xmm5
	movdqu 96(%rsp), %xmm6
	movdqu 112(%rsp), %xmm7
	addq $128, %rsp
	popq %r10
	popq %r9
	popq %r8
	popq %rcx
	popq %rdx
	popq %rsi
	popq %rdi
	popq %rax
	popq %rbp
	jmp *%r11
	.size camsvc_lazy_ffmpeg_bind, .-camsvc_lazy_ffmpeg_bind
)");
