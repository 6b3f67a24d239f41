//! The operating system's reason of a failed file operation in Chinese
//! (Rust words it in English: "No such file or directory (os error 2)").

/// The Chinese of `error`'s reason, by its kind, with the system's code.
pub fn os_error_zh(error: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let what = match error.kind() {
        K::NotFound => "找不到该文件或文件夹",
        K::PermissionDenied => "没有权限",
        K::AlreadyExists => "已经存在",
        K::NotADirectory => "路径中有一段不是文件夹",
        K::IsADirectory => "这是一个文件夹，不是文件",
        K::DirectoryNotEmpty => "文件夹不是空的",
        K::ReadOnlyFilesystem => "磁盘或分区是只读的",
        K::StorageFull => "磁盘已满",
        K::QuotaExceeded => "超出磁盘配额",
        K::FileTooLarge => "文件太大",
        K::CrossesDevices => "不能在不同的磁盘（分区）之间改名",
        K::ResourceBusy | K::ExecutableFileBusy => "文件正被占用",
        K::InvalidFilename => "文件名无效或太长",
        K::AddrInUse => "端口已被占用",
        K::AddrNotAvailable => "本机没有这个地址",
        K::Interrupted => "被中断",
        K::OutOfMemory => "内存不足",
        K::TimedOut => "超时",
        K::InvalidData => "数据无效",
        K::UnexpectedEof => "文件意外结束",
        K::BrokenPipe => "输出已关闭",
        K::TooManyLinks => "链接过多",
        K::StaleNetworkFileHandle => "网络文件已失效",
        _ => {
            return match error.raw_os_error() {
                Some(code) => format!("系统错误（代码 {code}）"),
                None => format!("系统错误：{error}"),
            }
        }
    };
    match error.raw_os_error() {
        Some(code) => format!("{what}（系统错误代码 {code}）"),
        None => what.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::os_error_zh;

    #[test]
    fn the_systems_reasons_read_in_chinese() {
        let missing = std::fs::read("/nonexistent/rotaplan/file").unwrap_err();
        assert_eq!(os_error_zh(&missing), "找不到该文件或文件夹（系统错误代码 2）");
        let not_a_folder = std::fs::read_dir("/dev/null").unwrap_err();
        assert_eq!(os_error_zh(&not_a_folder), "路径中有一段不是文件夹（系统错误代码 20）");
        assert_eq!(os_error_zh(&std::io::Error::from(std::io::ErrorKind::StorageFull)), "磁盘已满");
    }
}
