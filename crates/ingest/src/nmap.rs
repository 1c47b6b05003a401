//! nmap's XML output (`-oX`, with `-sV` and `-O` when present): the hosts that answered,
//! their addresses, open ports with service banners, and OS guesses.

use std::net::IpAddr;

use domain::MacAddress;
use domain::scan::{OpenPort, ScanHost};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// What an nmap file told.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scan {
    /// Hosts that were up.
    pub hosts: Vec<ScanHost>,
    /// Every address the scan reported, up or down: what it looked at.
    pub scanned: Vec<IpAddr>,
    /// The nmap command line, as recorded in the file.
    pub args: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NmapProblem {
    /// Not XML, or XML broken at this byte.
    Xml { position: u64 },
    /// XML, but not an nmap run.
    NotNmap,
    /// Over the parsers' budget (nesting too deep).
    Budget(crate::budget::Exceeded),
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

#[derive(Default)]
struct HostState {
    up: bool,
    ip: Option<IpAddr>,
    mac: Option<MacAddress>,
    mac_vendor: Option<String>,
    names: Vec<String>,
    ports: Vec<OpenPort>,
    os: Option<(u8, String)>,
}

/// The end of a `<port>` (kept when open) or a `<host>` (kept when up).
fn finish(
    name: &str,
    port: &mut Option<(OpenPort, bool)>,
    host: &mut Option<HostState>,
    scan: &mut Scan,
) {
    match name {
        "port" => {
            if let (Some((p, true)), Some(h)) = (port.take(), host.as_mut()) {
                h.ports.push(p);
            }
        }
        _ => {
            let Some(h) = host.take() else { return };
            if let Some(ip) = h.ip {
                scan.scanned.push(ip);
            }
            if h.up {
                scan.hosts.push(ScanHost {
                    ip: h.ip,
                    mac: h.mac,
                    mac_vendor: h.mac_vendor,
                    names: h.names,
                    open_ports: h.ports,
                    os_guess: h.os.map(|(_, n)| n),
                });
            }
        }
    }
}

pub fn parse(bytes: &[u8]) -> Result<Scan, NmapProblem> {
    crate::budget::xml_depth(bytes, &crate::budget::Budget::DEFAULT)
        .map_err(NmapProblem::Budget)?;
    let text = std::str::from_utf8(bytes).map_err(|e| NmapProblem::Xml {
        position: e.valid_up_to() as u64,
    })?;
    let mut reader = Reader::from_str(text);
    let mut scan = Scan::default();
    let mut seen_root = false;
    let mut host: Option<HostState> = None;
    let mut port: Option<(OpenPort, bool)> = None;
    let mut in_service_cpe = false;
    loop {
        let event = reader.read_event().map_err(|_| NmapProblem::Xml {
            position: reader.error_position(),
        })?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.name();
                match name.as_ref() {
                    "nmaprun" => {
                        seen_root = true;
                        scan.args = attr(e, "args");
                    }
                    _ if !seen_root => return Err(NmapProblem::NotNmap),
                    "host" => host = Some(HostState::default()),
                    "status" => {
                        if let Some(h) = host.as_mut() {
                            h.up = attr(e, "state").as_deref() == Some("up");
                        }
                    }
                    "address" => {
                        if let Some(h) = host.as_mut() {
                            let addr = attr(e, "addr").unwrap_or_default();
                            match attr(e, "addrtype").as_deref() {
                                Some("mac") => {
                                    h.mac = MacAddress::parse(&addr).ok();
                                    h.mac_vendor = attr(e, "vendor");
                                }
                                _ => {
                                    if h.ip.is_none() {
                                        h.ip = addr.parse().ok();
                                    }
                                }
                            }
                        }
                    }
                    "hostname" => {
                        if let (Some(h), Some(n)) = (host.as_mut(), attr(e, "name"))
                            && !h.names.contains(&n)
                        {
                            h.names.push(n);
                        }
                    }
                    "port" if host.is_some() => {
                        let number = attr(e, "portid").and_then(|p| p.parse().ok()).unwrap_or(0);
                        let protocol = attr(e, "protocol").unwrap_or_else(|| "tcp".into());
                        port = Some((
                            OpenPort {
                                protocol,
                                port: number,
                                service: None,
                                product: None,
                                version: None,
                                cpes: Vec::new(),
                            },
                            false,
                        ));
                    }
                    "state" => {
                        if let Some((_, open)) = port.as_mut() {
                            *open = attr(e, "state").as_deref() == Some("open");
                        }
                    }
                    "service" => {
                        if let Some((p, _)) = port.as_mut() {
                            p.service = attr(e, "name");
                            p.product = attr(e, "product");
                            p.version = attr(e, "version");
                        }
                    }
                    "cpe" => in_service_cpe = port.is_some(),
                    "osmatch" => {
                        if let Some(h) = host.as_mut() {
                            let accuracy: u8 = attr(e, "accuracy")
                                .and_then(|a| a.parse().ok())
                                .unwrap_or(0);
                            let better = h.os.as_ref().is_none_or(|(a, _)| accuracy > *a);
                            if let (true, Some(name)) = (better, attr(e, "name")) {
                                h.os = Some((accuracy, name));
                            }
                        }
                    }
                    _ => {}
                }
                // `<port …/>` or `<host …/>` without children ends where it starts.
                if empty && matches!(name.as_ref(), "port" | "host") {
                    finish(name.as_ref(), &mut port, &mut host, &mut scan);
                }
            }
            Event::Text(t) if in_service_cpe => {
                if let Some((p, _)) = port.as_mut() {
                    let cpe = t.xml10_content().trim().to_string();
                    if !cpe.is_empty() {
                        p.cpes.push(cpe);
                    }
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "cpe" => in_service_cpe = false,
                n @ ("port" | "host") => finish(n, &mut port, &mut host, &mut scan),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err(NmapProblem::NotNmap);
    }
    Ok(scan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/../../testdata/scans/nmap/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn a_slash_24_with_os_and_versions() {
        let scan = parse(&fixture("libnmap_full_sudo6_A_os_sv_24.xml")).unwrap();
        assert_eq!(scan.hosts.len(), 4, "only hosts that were up");
        assert_eq!(scan.scanned.len(), 256);
        let rdp = scan
            .hosts
            .iter()
            .find(|h| h.open_ports.iter().any(|p| p.port == 3389))
            .unwrap();
        assert!(rdp.ip.is_some());
        let open: usize = scan.hosts.iter().map(|h| h.open_ports.len()).sum();
        assert_eq!(open, 12);
        assert!(scan.hosts.iter().any(|h| h.os_guess.is_some()));
    }

    #[test]
    fn banners_macs_and_cpes() {
        let scan = parse(&fixture("libnmap_dionaea_sV_O_allports_scripts.xml")).unwrap();
        let h = &scan.hosts[0];
        assert_eq!(h.ip, "172.28.1.3".parse().ok());
        assert_eq!(
            h.mac.map(|m| m.to_string()).as_deref(),
            Some("02:42:AC:1C:01:03")
        );
        assert_eq!(h.names[0], "dionaea");
        assert_eq!(h.open_ports.len(), 16);
        let ftp = h.open_ports.iter().find(|p| p.port == 21).unwrap();
        assert_eq!(
            ftp.product.as_deref(),
            Some("Synology DiskStation NAS ftpd")
        );
        let http = h.open_ports.iter().find(|p| p.port == 80).unwrap();
        assert_eq!(http.cpes, vec!["cpe:/a:igor_sysoev:nginx".to_string()]);
        assert!(h.open_ports.iter().any(|p| p.port == 445));
    }

    #[test]
    fn filtered_ports_are_not_open_and_hosts_without_ports_are_kept() {
        let scan = parse(&fixture("defectdojo_issue12411_Pn_filtered_smb.xml")).unwrap();
        assert!(
            scan.hosts
                .iter()
                .all(|h| h.open_ports.iter().all(|p| p.port != 445)),
            "445 was filtered"
        );
        let zero = parse(&fixture("defectdojo_nmap_0port_host_up.xml")).unwrap();
        assert_eq!(zero.hosts.len(), 1);
        assert!(zero.hosts[0].open_ports.is_empty());
        let vulners = parse(&fixture("defectdojo_issue4406_sV_vulners.xml")).unwrap();
        assert_eq!(vulners.hosts[0].open_ports.len(), 25);
        assert!(
            vulners.hosts[0]
                .open_ports
                .iter()
                .any(|p| p.product.as_deref() == Some("OpenSSH"))
        );
    }

    #[test]
    fn what_is_not_an_nmap_file() {
        assert_eq!(
            parse(b"<html><body>hi</body></html>"),
            Err(NmapProblem::NotNmap)
        );
        assert!(matches!(
            parse(b"<nmaprun><host><status state=\"up\"/></hostx></nmaprun>"),
            Err(NmapProblem::Xml { .. })
        ));
        assert!(matches!(
            parse(&[0xff, 0xfe, 0x00]),
            Err(NmapProblem::Xml { .. })
        ));
        assert_eq!(parse(b"").map(|s| s.hosts.len()), Err(NmapProblem::NotNmap));
    }
}
