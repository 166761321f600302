#include "LazyFfmpeg.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <mutex>
#include <string>
#include <string_view>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_set>
#include <vector>

namespace camsvc::lazyffmpeg {
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

class MappedFile
	/// A library file mapped read-only, to read its symbol table without
	/// loading it (nothing of it runs, nothing stays resident).
{
public:
	explicit MappedFile(const std::string& path)
	{
		int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return;
		struct stat st{};
		if (::fstat(fd, &st) == 0 && st.st_size > 0)
		{
			void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
			if (p != MAP_FAILED)
			{
				_data = static_cast<const char*>(p);
				_size = static_cast<std::size_t>(st.st_size);
			}
		}
		::close(fd);
	}
	~MappedFile()
	{
		if (_data)
			::munmap(const_cast<char*>(_data), _size);
	}
	MappedFile(const MappedFile&) = delete;
	MappedFile& operator=(const MappedFile&) = delete;

	bool ok() const { return _data != nullptr; }

	bool definedSymbols(std::unordered_set<std::string_view>& names) const
		/// The names .dynsym defines (a 64-bit ELF); false when it is none.
	{
		if (_size < sizeof(Elf64_Ehdr) || std::memcmp(_data, ELFMAG, SELFMAG) != 0 || _data[EI_CLASS] != ELFCLASS64)
			return false;
		const auto* eh = reinterpret_cast<const Elf64_Ehdr*>(_data);
		if (eh->e_shoff == 0 || eh->e_shoff + std::size_t(eh->e_shnum) * sizeof(Elf64_Shdr) > _size)
			return false;
		const auto* sections = reinterpret_cast<const Elf64_Shdr*>(_data + eh->e_shoff);
		for (unsigned i = 0; i < eh->e_shnum; ++i)
		{
			const Elf64_Shdr& symtab = sections[i];
			if (symtab.sh_type != SHT_DYNSYM || symtab.sh_link >= eh->e_shnum)
				continue;
			const Elf64_Shdr& strtab = sections[symtab.sh_link];
			if (symtab.sh_offset + symtab.sh_size > _size || strtab.sh_offset + strtab.sh_size > _size || symtab.sh_entsize != sizeof(Elf64_Sym))
				return false;
			const auto* symbols = reinterpret_cast<const Elf64_Sym*>(_data + symtab.sh_offset);
			for (std::size_t k = 0; k < symtab.sh_size / sizeof(Elf64_Sym); ++k)
				if (symbols[k].st_shndx != SHN_UNDEF && symbols[k].st_name < strtab.sh_size)
					names.insert(std::string_view(_data + strtab.sh_offset + symbols[k].st_name));
			return true;
		}
		return false;
	}

private:
	const char* _data = nullptr;
	std::size_t _size = 0;
};

std::string findLibrary(const char* soname)
	/// Where dlopen() will find soname: LD_LIBRARY_PATH, then the directory
	/// FFmpeg was found in when the service was built. "" when in neither.
{
	std::vector<std::string> dirs;
	if (const char* path = std::getenv("LD_LIBRARY_PATH"))
	{
		std::string list = path;
		for (std::size_t at = 0; at <= list.size();)
		{
			std::size_t end = list.find(':', at);
			if (end == std::string::npos)
				end = list.size();
			if (end > at)
				dirs.push_back(list.substr(at, end - at));
			at = end + 1;
		}
	}
	dirs.push_back(CAMSVC_FFMPEG_LIBDIR);
	for (const auto& dir: dirs)
	{
		std::string candidate = dir + "/" + soname;
		if (::access(candidate.c_str(), R_OK) == 0)
			return candidate;
	}
	return {};
}

std::string check()
{
	for (int i = 0; libraries[i]; ++i)
	{
		std::string path = findLibrary(libraries[i]);
		if (path.empty())
			return std::string("FFmpeg library ") + libraries[i] + " not found (LD_LIBRARY_PATH, " CAMSVC_FFMPEG_LIBDIR ")";
		MappedFile file(path);
		std::unordered_set<std::string_view> defined;
		if (!file.ok() || !file.definedSymbols(defined))
			return std::string("FFmpeg library ") + path + " is not a readable 64-bit shared library";
		for (int f = 0; functions[f].name; ++f)
			if (functions[f].library == i && !defined.count(functions[f].name))
				return std::string("FFmpeg library ") + path + " has no function " + functions[f].name
					+ " (the service was built against another FFmpeg)";
	}
	return {};
}

} // namespace
} // namespace camsvc::lazyffmpeg

namespace {

std::once_flag loaded;
std::once_flag checked;
std::string checkResult;

} // namespace

extern "C" void camsvc_lazy_ffmpeg_preload()
{
	std::call_once(loaded, camsvc::lazyffmpeg::load);
}

extern "C" const char* camsvc_lazy_ffmpeg_check()
{
	std::call_once(checked, [] { checkResult = camsvc::lazyffmpeg::check(); });
	return checkResult.empty() ? nullptr : checkResult.c_str();
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
